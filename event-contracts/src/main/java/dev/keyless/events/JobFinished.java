package dev.keyless.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.UUID;

/**
 * A job reached a terminal state. Its job credential, environment and tokens die with it.
 *
 * @param status   {@code success}, {@code failed}, {@code canceled}, {@code unauthorized} or {@code not_run}
 * @param exitCode the command's exit code when an executor reported one, otherwise null
 * @param reason   why the job ended when it did not run to completion (a user-facing sentence), otherwise null
 */
public record JobFinished(
        UUID eventId,
        int version,
        Instant occurredAt,
        UUID jobId,
        UUID orgId,
        String status,
        Integer exitCode,
        String reason)
        implements JobEvent {

    public static final String TYPE = "JobFinished";
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
}
