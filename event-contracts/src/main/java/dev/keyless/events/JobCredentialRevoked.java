package dev.keyless.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.UUID;

/**
 * One job credential of a still-running job stopped being valid: the executor holding it went silent and the job
 * was queued again for another executor, which gets a new credential. context-service and issuer-service refuse
 * the revoked credential from then on; it carries the credential's id, never the credential.
 *
 * @param credentialId the revoked credential's {@code jti}
 * @param reason       why it was revoked (a user-facing sentence)
 */
public record JobCredentialRevoked(
        UUID eventId, int version, Instant occurredAt, UUID jobId, UUID orgId, String credentialId, String reason)
        implements JobEvent {

    public static final String TYPE = "JobCredentialRevoked";
    public static final int CURRENT_VERSION = 1;

    /** Without the credential's id the event revokes nothing, so it is unreadable rather than applied. */
    public JobCredentialRevoked {
        if (credentialId == null || credentialId.isBlank()) {
            throw new IllegalArgumentException("credential_id is required");
        }
    }

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
