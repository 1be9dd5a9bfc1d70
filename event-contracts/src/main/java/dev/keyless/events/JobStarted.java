package dev.keyless.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job was queued to run (its requirements succeeded). context-service resolves its contexts.
 *
 * @param actorGroups   names of the org groups the triggering user belongs to (security-group restrictions)
 * @param vcsRef        full ref, {@code refs/heads/main} or {@code refs/tags/v1.2.0}
 * @param triggerSource {@code push}, {@code api}, {@code fork_pull_request} or {@code schedule}
 * @param contextNames  the contexts the job names, in the job's order (the first wins a variable name clash)
 */
public record JobStarted(
        UUID eventId,
        int version,
        Instant occurredAt,
        UUID jobId,
        UUID orgId,
        UUID projectId,
        UUID pipelineId,
        UUID workflowId,
        String jobName,
        UUID userId,
        List<String> actorGroups,
        String vcsOrigin,
        String vcsRef,
        String revision,
        String triggerSource,
        boolean sshRerun,
        List<String> contextNames,
        int timeoutSeconds)
        implements JobEvent {

    public static final String TYPE = "JobStarted";
    public static final int CURRENT_VERSION = 1;

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.JOB_LIFECYCLE;
    }

    @Override
    @JsonIgnore
    public int supportedVersion() {
        return CURRENT_VERSION;
    }

    public JobStarted {
        actorGroups = actorGroups == null ? List.of() : List.copyOf(actorGroups);
        contextNames = contextNames == null ? List.of() : List.copyOf(contextNames);
    }
}
