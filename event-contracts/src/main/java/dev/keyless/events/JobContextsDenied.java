package dev.keyless.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.UUID;

/**
 * A context the job names is unknown in its org or a restriction denies it: the job must not run and no
 * token is minted. scheduler-service marks the job {@code unauthorized} with {@code reason}.
 *
 * @param contextName the first context that was denied
 * @param reason      a sentence a user can act on, e.g. "context 'prod-deploy' is restricted to project X"
 */
public record JobContextsDenied(
        UUID eventId, int version, Instant occurredAt, UUID jobId, UUID orgId, String contextName, String reason)
        implements JobEvent {

    public static final String TYPE = "JobContextsDenied";
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
}
