package dev.keyless.issuer.job.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A job credential revoked while its job still runs (JobCredentialRevoked): it gets no token. */
@Entity
@Table(name = "revoked_job_credential")
public class RevokedJobCredentialEntity extends PanacheEntityBase {

    /** The credential's {@code jti}. */
    @Id
    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(name = "revoked_at", nullable = false)
    public Instant revokedAt;

    public static Uni<Boolean> isRevoked(String credentialId) {
        return RevokedJobCredentialEntity.<RevokedJobCredentialEntity>findById(credentialId).map(found -> found != null);
    }

    /** Once the job has finished every credential of it is refused anyway. */
    public static Uni<Long> deleteByJob(UUID jobId) {
        return delete("jobId", jobId);
    }
}
