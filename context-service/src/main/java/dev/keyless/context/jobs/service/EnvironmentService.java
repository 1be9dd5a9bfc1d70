package dev.keyless.context.jobs.service;

import dev.keyless.context.audit.service.EnvironmentAudit;
import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.service.ContextAuthorizer;
import dev.keyless.context.encryption.service.ContextVariableDecryptor;
import dev.keyless.context.jobs.client.IssuerTokenClient.OidcTokens;
import dev.keyless.context.jobs.model.JobResolution;
import dev.keyless.context.jobs.model.ResolutionState;
import dev.keyless.context.jobs.repository.JobResolutionRepository;
import dev.keyless.credential.InvalidJobCredentialException;
import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import dev.keyless.credential.revocation.RevokedJobCredentialRepository;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The executor's environment: the variables of the job's contexts (the job's context order decides a name clash:
 * the first context that defines a name wins) plus its OIDC tokens. All or nothing: while the job's resolution or
 * its tokens are not ready it waits ({@link PullWait}), then answers 503. A pull costs one database session for its
 * checks and variables, its audit record (written together with those of concurrent pulls), and an issuer call only
 * when this replica holds no fresh copy of the job's tokens ({@link JobTokens}).
 */
@ApplicationScoped
public class EnvironmentService {

    static final String REVOKED = "this job credential was revoked: the job was handed to another executor";

    private final JobCredentialVerifier verifier;
    private final JobResolutionRepository jobs;
    private final RevokedJobCredentialRepository revokedCredentials;
    private final ContextAuthorizer authorizer;
    private final ContextVariableDecryptor decryptor;
    private final JobTokens tokens;
    private final EnvironmentAudit audit;
    private final PullWait wait;
    private final ContextConfig.Environment config;
    private final MeterRegistry registry;

    public EnvironmentService(
            JobCredentialVerifier verifier,
            JobResolutionRepository jobs,
            RevokedJobCredentialRepository revokedCredentials,
            ContextAuthorizer authorizer,
            ContextVariableDecryptor decryptor,
            JobTokens tokens,
            EnvironmentAudit audit,
            PullWait wait,
            ContextConfig config,
            MeterRegistry registry) {
        this.verifier = verifier;
        this.jobs = jobs;
        this.revokedCredentials = revokedCredentials;
        this.authorizer = authorizer;
        this.decryptor = decryptor;
        this.tokens = tokens;
        this.audit = audit;
        this.wait = wait;
        this.config = config.environment();
        this.registry = registry;
    }

    /** The environment handed to the executor. {@code mask} lists every secret value and token. */
    public record Environment(UUID jobId, Map<String, String> variables, List<String> mask) {

        @Override
        public String toString() {
            return "Environment[job_id=" + jobId + ", variables=" + variables.keySet() + "]";
        }
    }

    private record Snapshot(JobResolution job, List<Context> contexts, Map<String, String> variables) {}

    /** A pull in progress and the bound of its wait. */
    private record Pull(UUID jobId, JobCredential credential, PullWait.Bound bound) {}

    public Uni<Environment> pull(UUID jobId, String authorization) {
        Timer.Sample sample = Timer.start(registry);
        JobCredential credential = verifier.verify(authorization, jobId);
        Pull pull = new Pull(jobId, credential, wait.start());
        return snapshot(pull)
                .chain(snapshot -> tokens.forPull(
                                jobId, authorization, !snapshot.contexts().isEmpty(), pull.bound())
                        .emitOn(pull.bound().onContext())
                        .chain(oidc ->
                                record(snapshot, oidc).emitOn(pull.bound().onContext())))
                .onItemOrFailure()
                .invoke((environment, failure) ->
                        sample.stop(registry.timer("keyless.context.environment.pull", "outcome", outcome(failure))));
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "served";
        }
        if (failure instanceof ProblemException problem) {
            return switch (problem.status()) {
                case 401, 403 -> "refused";
                case 503 -> "not_ready";
                default -> "failed";
            };
        }
        return failure instanceof InvalidJobCredentialException ? "refused" : "failed";
    }

    private Uni<Snapshot> snapshot(Pull pull) {
        // taken before the look, so a resolution committed while the look runs still wakes this pull
        CommitSignals.Waiter resolution = wait.resolutionWritten(pull.jobId());
        return Panache.withSession(() -> revokedCredentials
                        .isRevoked(pull.credential().tokenId())
                        .chain(revoked -> {
                            if (revoked) {
                                throw ProblemException.unauthorized(REVOKED);
                            }
                            return jobs.findById(pull.jobId());
                        })
                        .chain(job -> {
                            if (job == null) {
                                return Uni.createFrom().<Snapshot>nullItem();
                            }
                            check(job, pull.credential());
                            return authorizer
                                    .byIds(job.orgId, job.contextUuids(), job.contextNames, job.facts())
                                    .chain(decision -> {
                                        if (decision.denial().isPresent()) {
                                            throw ProblemException.forbidden(
                                                    decision.denial().get().reason());
                                        }
                                        List<Context> contexts = decision.contexts();
                                        return decryptor
                                                .merged(contexts)
                                                .map(variables -> new Snapshot(job, contexts, variables));
                                    });
                        }))
                .onFailure()
                .invoke(resolution::cancel)
                .chain(snapshot -> {
                    if (snapshot != null) {
                        resolution.cancel();
                        return Uni.createFrom().item(snapshot);
                    }
                    return wait.later(
                            pull.bound(),
                            resolution,
                            () -> snapshot(pull),
                            "the job's contexts are still being resolved");
                });
    }

    static void check(JobResolution job, JobCredential credential) {
        if (!job.orgId.equals(credential.orgId())
                || credential.projectId() != null
                        && job.projectId != null
                        && !job.projectId.equals(credential.projectId())) {
            throw ProblemException.forbidden("the job credential does not match the job");
        }
        if (job.finishedAt != null) {
            throw ProblemException.unauthorized("the job has ended; its credential is no longer accepted");
        }
        if (job.state == ResolutionState.DENIED) {
            throw ProblemException.forbidden(job.deniedReason);
        }
    }

    private Uni<Environment> record(Snapshot snapshot, OidcTokens tokens) {
        Map<String, String> all = new LinkedHashMap<>(snapshot.variables());
        if (tokens != null) {
            all.put(config.tokenV1Name(), tokens.v1());
            all.put(config.tokenV2Name(), tokens.v2());
        }
        List<String> mask = new ArrayList<>(new LinkedHashSet<>(all.values().stream()
                .filter(value -> value != null && !value.isEmpty())
                .toList()));
        JobResolution job = snapshot.job();
        // committed before the environment is handed out: every pull leaves its record
        return audit.pulled(
                        job.orgId,
                        job.jobId,
                        snapshot.contexts(),
                        snapshot.variables().keySet(),
                        tokens != null)
                .replaceWith(new Environment(job.jobId, all, mask));
    }
}
