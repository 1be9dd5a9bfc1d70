package dev.keyless.executor.api;

import java.util.UUID;

/** A job handed to this executor by {@code POST /api/v1/executor/claim}. */
public record ClaimedJob(UUID jobId, UUID orgId, UUID projectId, String name, String command, int timeoutSeconds,
                         String credential) {

    @Override
    public String toString() {
        // the credential is a bearer secret: keep it out of any log line
        return "ClaimedJob[jobId=" + jobId + ", name=" + name + "]";
    }
}
