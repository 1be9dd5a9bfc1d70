package dev.keyless.credential.revocation;

import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The revoked job credentials a service refuses, kept from the scheduler's job events. The {@code on…} methods
 * run inside the consumer's inbox transaction, with the job's other effects.
 */
@ApplicationScoped
public class RevokedJobCredentialRepository implements PanacheRepositoryBase<RevokedJobCredential, String> {

    public Uni<Boolean> isRevoked(String credentialId) {
        return findById(credentialId).map(revoked -> revoked != null);
    }

    /**
     * From now on the revoked credential is refused; the job's other credentials are not. Once the job has finished
     * every credential of it is refused already, so a late revocation keeps no row, nor does a redelivered one.
     *
     * @param jobFinished whether this service already saw the job's JobFinished
     * @return whether the revocation was new here
     */
    public Uni<Boolean> onJobCredentialRevoked(JobCredentialRevoked event, boolean jobFinished) {
        if (jobFinished) {
            return Uni.createFrom().item(false);
        }
        return isRevoked(event.credentialId()).chain(known -> {
            if (known) {
                return Uni.createFrom().item(false);
            }
            RevokedJobCredential revoked = new RevokedJobCredential();
            revoked.credentialId = event.credentialId();
            revoked.jobId = event.jobId();
            revoked.revokedAt = event.occurredAt() == null ? Instant.now() : event.occurredAt();
            return persist(revoked).replaceWith(true);
        });
    }

    /** Once the job has finished every credential of it is refused anyway: its rows go. */
    public Uni<Long> onJobFinished(JobFinished event) {
        return delete("jobId", event.jobId());
    }
}
