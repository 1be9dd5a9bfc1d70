package dev.keyless.issuer.key.service;

import dev.keyless.problem.ProblemException;

/** A rotation was asked while the standby already takes over as soon as it safely can: 409. */
public class RotationPendingException extends ProblemException {

    public RotationPendingException(String kid) {
        super(409, "key " + kid + " already takes over as soon as relying parties have had it for the publish-ahead");
    }
}
