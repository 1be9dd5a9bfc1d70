package dev.keyless.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every context the job names exists in its org and passed its restrictions. Carries the job's claim data
 * (ids, never a secret): issuer-service mints the job's tokens from it when {@code contextIds} is not empty,
 * and scheduler-service lets executors claim the job.
 *
 * @param contextIds the resolved contexts, in the job's order
 */
public record JobContextsResolved(
        UUID eventId,
        int version,
        Instant occurredAt,
        UUID jobId,
        UUID orgId,
        UUID projectId,
        UUID pipelineId,
        UUID workflowId,
        UUID userId,
        String vcsOrigin,
        String vcsRef,
        boolean sshRerun,
        List<UUID> contextIds,
        int timeoutSeconds)
        implements JobEvent {

    public static final String TYPE = "JobContextsResolved";
    public static final int CURRENT_VERSION = 1;

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.JOB_CONTEXTS;
    }

    @Override
    @JsonIgnore
    public int supportedVersion() {
        return CURRENT_VERSION;
    }

    public JobContextsResolved {
        contextIds = contextIds == null ? List.of() : List.copyOf(contextIds);
    }
}
