package dev.keyless.issuer.job.service;

import dev.keyless.credential.revocation.RevokedJobCredentialRepository;
import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.token.service.TokenService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Keeps the issuer's view of jobs from their events. Called inside the inbox transaction. */
@ApplicationScoped
public class JobService {

    private final TokenService tokens;
    private final RevokedJobCredentialRepository revokedCredentials;

    public JobService(TokenService tokens, RevokedJobCredentialRepository revokedCredentials) {
        this.tokens = tokens;
        this.revokedCredentials = revokedCredentials;
    }

    /** Stores the job's claim data and answers the stored row; a job that already finished stays finished. */
    public Uni<JobClaimsEntity> resolved(JobContextsResolved event) {
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
            return existing == null
                    ? job.persist().replaceWith(job)
                    : Uni.createFrom().item(job);
        });
    }

    /** The revoked credential gets no token from now on; the job's current credential still does. */
    public Uni<Void> credentialRevoked(JobCredentialRevoked event) {
        return JobClaimsEntity.<JobClaimsEntity>findById(event.jobId())
                .chain(job -> revokedCredentials.onJobCredentialRevoked(event, job != null && job.finishedAt != null))
                .replaceWithVoid();
    }

    /** Marks the job finished (even before its resolution arrives) and drops its cached tokens. */
    public Uni<Void> finished(JobFinished event) {
        return revokedCredentials
                .onJobFinished(event)
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
