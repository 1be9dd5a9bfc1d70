package dev.keyless.issuer.job.service;

import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.job.model.RevokedJobCredentialEntity;
import dev.keyless.issuer.token.service.TokenService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Keeps the issuer's view of jobs from their events. Called inside the inbox transaction. */
@ApplicationScoped
public class JobService {

    private final TokenService tokens;

    public JobService(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Stores the job's claim data; a job that already finished stays finished. */
    public Uni<Void> resolved(JobContextsResolved event) {
        return JobClaimsEntity.<JobClaimsEntity>findById(event.jobId()).chain(existing -> {
            JobClaimsEntity job = existing == null ? new JobClaimsEntity() : existing;
            job.jobId = event.jobId();
            job.orgId = event.orgId();
            job.projectId = event.projectId();
            job.pipelineId = event.pipelineId();
            job.workflowId = event.workflowId();
            job.userId = event.userId();
            job.vcsOrigin = event.vcsOrigin();
            job.vcsRef = event.vcsRef();
            job.sshRerun = event.sshRerun();
            job.setContextIdList(event.contextIds());
            job.timeoutSeconds = event.timeoutSeconds();
            job.resolvedAt = Instant.now();
            return existing == null ? job.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        });
    }

    /**
     * The revoked credential gets no token from now on; the job's current credential still does. Once the job has
     * finished every credential of it is refused already, so a late revocation keeps no row.
     */
    public Uni<Void> credentialRevoked(JobCredentialRevoked event) {
        return alreadySettled(event).chain(settled -> {
            if (settled) {
                return Uni.createFrom().voidItem();
            }
            RevokedJobCredentialEntity revoked = new RevokedJobCredentialEntity();
            revoked.credentialId = event.credentialId();
            revoked.jobId = event.jobId();
            revoked.revokedAt = event.occurredAt() == null ? Instant.now() : event.occurredAt();
            return revoked.persist().replaceWithVoid();
        });
    }

    private static Uni<Boolean> alreadySettled(JobCredentialRevoked event) {
        return JobClaimsEntity.<JobClaimsEntity>findById(event.jobId()).chain(job ->
                job != null && job.finishedAt != null
                ? Uni.createFrom().item(true)
                : RevokedJobCredentialEntity.isRevoked(event.credentialId()));
    }

    /** Marks the job finished (even before its resolution arrives) and drops its cached tokens. */
    public Uni<Void> finished(JobFinished event) {
        return RevokedJobCredentialEntity.deleteByJob(event.jobId())
                .chain(() -> JobClaimsEntity.<JobClaimsEntity>findById(event.jobId()))
                .chain(existing -> markFinished(existing, event));
    }

    private Uni<Void> markFinished(JobClaimsEntity existing, JobFinished event) {
        tokens.forget(event.jobId());
        Instant finishedAt = event.occurredAt() == null ? Instant.now() : event.occurredAt();
        if (existing != null) {
            existing.finishedAt = finishedAt;
            return Uni.createFrom().voidItem();
        }
        JobClaimsEntity job = new JobClaimsEntity();
        job.jobId = event.jobId();
        job.orgId = event.orgId();
        job.finishedAt = finishedAt;
        return job.persist().replaceWithVoid();
    }
}
