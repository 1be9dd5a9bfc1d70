package dev.keyless.context.jobs.repository;

import dev.keyless.context.jobs.model.RevokedJobCredential;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class RevokedJobCredentialRepository implements PanacheRepositoryBase<RevokedJobCredential, String> {

    public Uni<Boolean> isRevoked(String credentialId) {
        return findById(credentialId).map(revoked -> revoked != null);
    }

    /** Once the job has finished every credential of it is refused anyway. */
    public Uni<Long> deleteByJob(UUID jobId) {
        return delete("jobId", jobId);
    }
}
