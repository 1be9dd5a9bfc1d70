package dev.keyless.issuer.job.messaging;

import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.job.service.JobService;
import dev.keyless.issuer.token.rest.InternalTokenResource;
import dev.keyless.issuer.token.service.TokenService;
import dev.keyless.messaging.inbox.Inbox;
import dev.keyless.messaging.signal.CommitSignals;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Consumes job events through the idempotent inbox: each event is applied once, in one transaction. Once a
 * resolution is committed the job's tokens are minted into the cache, so the environment pull finds them.
 */
@ApplicationScoped
public class JobEventsConsumer {

    static final String CONSUMER = "issuer-service";
    private static final Logger LOG = Logger.getLogger(JobEventsConsumer.class);

    private final Inbox inbox;
    private final JobService jobs;
    private final TokenService tokens;
    private final CommitSignals signals;

    public JobEventsConsumer(Inbox inbox, JobService jobs, TokenService tokens, CommitSignals signals) {
        this.inbox = inbox;
        this.jobs = jobs;
        this.tokens = tokens;
        this.signals = signals;
    }

    @Incoming("job-contexts")
    public Uni<Void> onJobContexts(String payload) {
        AtomicReference<JobClaimsEntity> resolvedJob = new AtomicReference<>();
        return inbox.process(CONSUMER, payload, event -> {
                    if (event instanceof JobContextsResolved resolved) {
                        // token requests waiting for this job (any replica) wake on the commit
                        return jobs.resolved(resolved)
                                .invoke(resolvedJob::set)
                                .chain(() -> signals.notifyOnCommit(
                                        InternalTokenResource.RESOLUTION_REACHED,
                                        resolved.jobId().toString()));
                    }
                    return Uni.createFrom().voidItem();
                })
                .call(() -> resolvedJob.get() == null
                        ? Uni.createFrom().voidItem()
                        : tokens.warm(resolvedJob.get())
                                // a miss on the environment pull mints them anyway
                                .onFailure()
                                .invoke(f -> LOG.warnf(
                                        "pre-minting tokens of job %s failed: %s",
                                        resolvedJob.get().jobId, f.getClass().getSimpleName()))
                                .onFailure()
                                .recoverWithNull());
    }

    @Incoming("job-lifecycle")
    public Uni<Void> onJobLifecycle(String payload) {
        return inbox.process(CONSUMER, payload, event -> {
            if (event instanceof JobFinished finished) {
                return jobs.finished(finished);
            }
            if (event instanceof JobCredentialRevoked revoked) {
                return jobs.credentialRevoked(revoked);
            }
            return Uni.createFrom().voidItem();
        });
    }
}
