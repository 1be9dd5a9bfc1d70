package dev.keyless.issuer.token.rest;

import dev.keyless.problem.ProblemException;

import java.util.UUID;

final class JobIds {

    private JobIds() {}

    /** A job id from the path; anything but a UUID is an unknown job. */
    static UUID parse(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no such job");
        }
    }
}
