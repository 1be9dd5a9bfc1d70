package dev.keyless.credential.revocation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A job credential revoked while its job still runs (JobCredentialRevoked): it gets nothing from then on. Each
 * service that verifies job credentials keeps this table in its own schema ({@code db/keyless-job-credential}).
 */
@Entity
@Table(name = "revoked_job_credential")
public class RevokedJobCredential {

    /** The credential's {@code jti}. */
    @Id
    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(name = "revoked_at", nullable = false)
    public Instant revokedAt;
}
