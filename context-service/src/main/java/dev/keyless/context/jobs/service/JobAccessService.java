package dev.keyless.context.jobs.service;

import dev.keyless.context.context.service.ContextAuthorizer;
import dev.keyless.context.jobs.repository.JobResolutionRepository;
import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import dev.keyless.credential.revocation.RevokedJobCredentialRepository;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Whether a running job may still use its contexts, asked by issuer-service before every on-demand token. It is
 * decided exactly as an environment pull decides it (the same credential checks, then {@link ContextAuthorizer#byIds}
 * on the job's resolved contexts), so a context deleted or a restriction added stops both at the same moment.
 */
@ApplicationScoped
public class JobAccessService {

    /** Seconds the issuer should wait before asking again while the job's resolution is not stored yet. */
    static final int NOT_RESOLVED_RETRY_AFTER_SECONDS = 1;

    private final JobCredentialVerifier verifier;
    private final JobResolutionRepository jobs;
    private final RevokedJobCredentialRepository revokedCredentials;
    private final ContextAuthorizer authorizer;

    public JobAccessService(
            JobCredentialVerifier verifier,
            JobResolutionRepository jobs,
            RevokedJobCredentialRepository revokedCredentials,
            ContextAuthorizer authorizer) {
        this.verifier = verifier;
        this.jobs = jobs;
        this.revokedCredentials = revokedCredentials;
        this.authorizer = authorizer;
    }

    /**
     * The ids of the contexts the job may use now, in the job's order. Fails with 401 (credential revoked, job
     * ended), 403 (another job's credential, job denied, a context deleted or no longer allowed: the reason says
     * which) or 503 (the job's resolution is not stored yet).
     */
    public Uni<List<UUID>> allowedContexts(UUID jobId, String authorization) {
        JobCredential credential = verifier.verify(authorization, jobId);
        return Panache.withSession(() -> revokedCredentials
                        .isRevoked(credential.tokenId())
                        .chain(revoked -> {
                            if (revoked) {
                                throw ProblemException.unauthorized(EnvironmentService.REVOKED);
                            }
                            return jobs.findById(jobId);
                        })
                        .chain(job -> {
                            if (job == null) {
                                throw ProblemException.unavailable(
                                        "the job's contexts are still being resolved",
                                        NOT_RESOLVED_RETRY_AFTER_SECONDS);
                            }
                            EnvironmentService.check(job, credential);
                            return authorizer.byIds(job.orgId, job.contextUuids(), job.contextNames, job.facts());
                        }))
                .map(decision -> {
                    if (decision.denial().isPresent()) {
                        throw ProblemException.forbidden(decision.denial().get().reason());
                    }
                    return decision.contexts().stream()
                            .map(context -> context.id)
                            .toList();
                });
    }
}
