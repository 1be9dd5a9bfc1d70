package dev.keyless.context.jobs.service;

import dev.keyless.context.audit.service.AuditBatcher;
import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.config.InternalApiConfig;
import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.model.ContextVariable;
import dev.keyless.context.context.repository.VariableRepository;
import dev.keyless.context.context.service.ContextAuthorizer;
import dev.keyless.context.encryption.service.ContextCipher;
import dev.keyless.context.jobs.client.IssuerTokenClient;
import dev.keyless.context.jobs.client.IssuerTokenClient.OidcTokens;
import dev.keyless.context.jobs.model.JobResolution;
import dev.keyless.context.jobs.model.ResolutionState;
import dev.keyless.context.jobs.repository.JobResolutionRepository;
import dev.keyless.context.jobs.repository.RevokedJobCredentialRepository;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.problem.ProblemException;
import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The executor's environment: the variables of the job's contexts (the job's context order decides a name clash:
 * the first context that defines a name wins) plus its OIDC tokens. All or nothing: while the job's resolution or
 * its tokens are not ready it waits up to a bound without blocking (woken by the commit of the resolution, or
 * looking again each poll interval), then answers 503. A pull costs one database session for its checks and
 * variables, its audit record (written together with those of concurrent pulls), and an issuer call only when
 * this replica holds no fresh copy of the job's tokens.
 */
@ApplicationScoped
public class EnvironmentService {

    private static final Duration MIN_PAUSE = Duration.ofMillis(1);

    /** Signal channel of "a job's resolution was written" (topic: the job id), notified on its commit. */
    public static final String RESOLUTION_WRITTEN = "keyless_job_resolved";

    static final String REVOKED = "this job credential was revoked: the job was handed to another executor";

    private final JobCredentialVerifier verifier;
    private final JobResolutionRepository jobs;
    private final RevokedJobCredentialRepository revokedCredentials;
    private final VariableRepository variables;
    private final ContextAuthorizer authorizer;
    private final ContextCipher cipher;
    private final IssuerTokenClient issuer;
    private final AuditBatcher audit;
    private final JobTokenCache tokenCache;
    private final ContextConfig.Environment config;
    private final InternalApiConfig internalApi;
    private final MeterRegistry registry;
    private final CommitSignals signals;

    public EnvironmentService(JobCredentialVerifier verifier, JobResolutionRepository jobs,
            RevokedJobCredentialRepository revokedCredentials, VariableRepository variables,
            ContextAuthorizer authorizer, ContextCipher cipher, @RestClient IssuerTokenClient issuer,
            AuditBatcher audit, JobTokenCache tokenCache, ContextConfig config, InternalApiConfig internalApi,
            MeterRegistry registry, CommitSignals signals) {
        this.signals = signals;
        this.tokenCache = tokenCache;
        this.verifier = verifier;
        this.jobs = jobs;
        this.revokedCredentials = revokedCredentials;
        this.variables = variables;
        this.authorizer = authorizer;
        this.cipher = cipher;
        this.issuer = issuer;
        this.audit = audit;
        this.config = config.environment();
        this.internalApi = internalApi;
        this.registry = registry;
    }

    /** The environment handed to the executor. {@code mask} lists every secret value and token. */
    public record Environment(UUID jobId, Map<String, String> variables, List<String> mask) {

        @Override
        public String toString() {
            return "Environment[job_id=" + jobId + ", variables=" + variables.keySet() + "]";
        }
    }

    private record Snapshot(JobResolution job, List<Context> contexts, Map<String, String> variables) {
    }

    /** A pull in progress: where to resume after a pause, and until when it may wait. */
    private record Pull(UUID jobId, JobCredential credential, String authorization, long deadline, Executor onContext) {
    }

    public Uni<Environment> pull(UUID jobId, String authorization) {
        Timer.Sample sample = Timer.start(registry);
        JobCredential credential = verifier.verify(authorization, jobId);
        io.vertx.core.Context context = Vertx.currentContext();
        Executor onContext = context == null ? Infrastructure.getDefaultExecutor()
                : task -> context.runOnContext(ignored -> task.run());
        Pull pull = new Pull(jobId, credential, authorization, System.nanoTime() + config.maxWait().toNanos(),
                onContext);
        return snapshot(pull)
                .chain(snapshot -> tokens(pull, snapshot).emitOn(onContext)
                        .chain(tokens -> record(snapshot, tokens).emitOn(onContext)))
                .onItemOrFailure().invoke((environment, failure) -> sample.stop(registry.timer(
                        "keyless.context.environment.pull", "outcome", outcome(failure))));
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
        return failure instanceof dev.keyless.credential.InvalidJobCredentialException ? "refused" : "failed";
    }

    private Uni<Snapshot> snapshot(Pull pull) {
        // taken before the look, so a resolution committed while the look runs still wakes this pull
        CommitSignals.Waiter resolution = signals.waiter(RESOLUTION_WRITTEN, pull.jobId().toString());
        return Panache.withSession(() -> revokedCredentials.isRevoked(pull.credential().tokenId()).chain(revoked -> {
            if (revoked) {
                throw ProblemException.unauthorized(REVOKED);
            }
            return jobs.findById(pull.jobId());
        }).chain(job -> {
            if (job == null) {
                return Uni.createFrom().<Snapshot>nullItem();
            }
            check(job, pull.credential());
            return authorizer.byIds(job.orgId, job.contextUuids(), job.contextNames, job.facts())
                    .chain(decision -> {
                        if (decision.denial().isPresent()) {
                            throw ProblemException.forbidden(decision.denial().get().reason());
                        }
                        return decrypt(job, decision.contexts());
                    });
        })).onFailure().invoke(resolution::cancel).chain(snapshot -> {
            if (snapshot != null) {
                resolution.cancel();
                return Uni.createFrom().item(snapshot);
            }
            return later(pull, resolution, () -> snapshot(pull), "the job's contexts are still being resolved");
        });
    }

    static void check(JobResolution job, JobCredential credential) {
        if (!job.orgId.equals(credential.orgId())
                || credential.projectId() != null && job.projectId != null && !job.projectId.equals(credential.projectId())) {
            throw ProblemException.forbidden("the job credential does not match the job");
        }
        if (job.finishedAt != null) {
            throw ProblemException.unauthorized("the job has ended; its credential is no longer accepted");
        }
        if (job.state == ResolutionState.DENIED) {
            throw ProblemException.forbidden(job.deniedReason);
        }
    }

    private Uni<Snapshot> decrypt(JobResolution job, List<Context> contexts) {
        return variables.listByContexts(contexts.stream().map(c -> c.id).toList()).map(all -> {
            Map<UUID, List<ContextVariable>> byContext = all.stream()
                    .collect(Collectors.groupingBy(v -> v.contextId));
            Map<String, String> merged = new LinkedHashMap<>();
            for (Context context : contexts) {
                List<ContextVariable> own = byContext.getOrDefault(context.id, List.of());
                if (own.isEmpty()) {
                    continue;
                }
                SecretKey dataKey = cipher.dataKey(context);
                for (ContextVariable variable : own) {
                    if (!merged.containsKey(variable.name)) {
                        merged.put(variable.name, cipher.decrypt(dataKey, context.id, variable.name, variable.ciphertext));
                    }
                }
            }
            return new Snapshot(job, contexts, merged);
        });
    }

    private Uni<OidcTokens> tokens(Pull pull, Snapshot snapshot) {
        boolean usesContext = !snapshot.contexts().isEmpty();
        if (!usesContext && config.tokensRequireContext()) {
            return Uni.createFrom().nullItem();
        }
        // the checks above (credential, revocation, the job's end, restrictions) ran for this very pull
        Optional<OidcTokens> cached = tokenCache.get(pull.jobId());
        if (cached.isPresent()) {
            return Uni.createFrom().item(cached.get());
        }
        return fetchTokens(pull, usesContext).invoke(tokens -> tokenCache.put(pull.jobId(), tokens));
    }

    private Uni<OidcTokens> fetchTokens(Pull pull, boolean usesContext) {
        return issuer.tokens(pull.jobId(), internalApi.token(), pull.authorization())
                .onFailure().recoverWithUni(failure -> {
                    int status = failure instanceof WebApplicationException web && web.getResponse() != null
                            ? web.getResponse().getStatus() : 503;
                    return switch (status) {
                        case 503 -> later(pull, null, () -> fetchTokens(pull, usesContext),
                                "the job's OIDC tokens are still being minted");
                        case 401 -> Uni.createFrom().failure(ProblemException.unauthorized(
                                "the token service refused the job credential; the job may have ended"));
                        case 403 -> Uni.createFrom().failure(ProblemException.forbidden(
                                "the token service refused the job credential for this job"));
                        case 404 -> usesContext
                                ? Uni.createFrom().failure(new ProblemException(502,
                                        "the token service has no tokens for this job"))
                                : Uni.createFrom().nullItem();
                        default -> Uni.createFrom().failure(new ProblemException(502,
                                "the token service failed to provide the job's tokens"));
                    };
                });
    }

    /**
     * Runs {@code next} on the request's context once {@code waiter} wakes (when given) or after a pause, or answers
     * 503 once the wait is used up.
     */
    private <T> Uni<T> later(Pull pull, CommitSignals.Waiter waiter, Supplier<Uni<T>> next, String pending) {
        Optional<Duration> pause = pause(pull.deadline() - System.nanoTime(), config.pollInterval());
        if (pause.isEmpty()) {
            if (waiter != null) {
                waiter.cancel();
            }
            return Uni.createFrom().failure(ProblemException.unavailable(pending + "; retry later",
                    config.retryAfterSeconds()));
        }
        Uni<Void> wait = waiter != null ? waiter.await(pause.get())
                : Uni.createFrom().voidItem().onItem().delayIt().by(pause.get());
        return wait.emitOn(pull.onContext()).chain(ignored -> next.get());
    }

    /**
     * How long to pause before polling again with {@code remainingNanos} of the wait left: the poll interval, or
     * what is left of the wait; none once less than a millisecond is left, the shortest timer Vert.x schedules.
     */
    static Optional<Duration> pause(long remainingNanos, Duration pollInterval) {
        Duration remaining = Duration.ofNanos(remainingNanos);
        if (remaining.compareTo(MIN_PAUSE) < 0) {
            return Optional.empty();
        }
        return Optional.of(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
    }

    private Uni<Environment> record(Snapshot snapshot, OidcTokens tokens) {
        Map<String, String> all = new LinkedHashMap<>(snapshot.variables());
        if (tokens != null) {
            all.put(config.tokenV1Name(), tokens.v1());
            all.put(config.tokenV2Name(), tokens.v2());
        }
        List<String> mask = new ArrayList<>(new LinkedHashSet<>(all.values().stream()
                .filter(value -> value != null && !value.isEmpty()).toList()));
        JobResolution job = snapshot.job();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("contexts", snapshot.contexts().stream().map(c -> c.name).toList());
        detail.put("context_ids", snapshot.contexts().stream().map(c -> c.id.toString()).toList());
        detail.put("variables", List.copyOf(snapshot.variables().keySet()));
        detail.put("oidc_tokens", tokens != null);
        // committed before the environment is handed out: every pull leaves its record
        return audit.record(job.orgId, "job:" + job.jobId, "environment.pulled", null, job.jobId, detail)
                .replaceWith(new Environment(job.jobId, all, mask));
    }
}
