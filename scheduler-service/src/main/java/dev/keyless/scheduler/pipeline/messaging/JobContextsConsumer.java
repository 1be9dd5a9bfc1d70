package dev.keyless.scheduler.pipeline.messaging;

import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobEvent;
import dev.keyless.messaging.inbox.Inbox;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.scheduler.executor.service.ExecutorService;
import dev.keyless.scheduler.pipeline.model.JobStatus;
import dev.keyless.scheduler.pipeline.service.JobLifecycle;
import dev.keyless.scheduler.pipeline.service.JobLocks;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * context-service's verdict on a queued job: resolved makes it claimable, denied makes it {@code unauthorized}
 * (it never runs and gets no token). Applied once per event id through the inbox.
 */
@ApplicationScoped
public class JobContextsConsumer {

    static final String CONSUMER = "scheduler-service";
    private static final Logger LOG = Logger.getLogger(JobContextsConsumer.class);

    private final Inbox inbox;
    private final JobLifecycle lifecycle;
    private final JobLocks locks;
    private final CommitSignals signals;

    public JobContextsConsumer(Inbox inbox, JobLifecycle lifecycle, JobLocks locks, CommitSignals signals) {
        this.inbox = inbox;
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.signals = signals;
    }

    @Incoming("job-contexts")
    public Uni<Void> consume(String payload) {
        return inbox.process(CONSUMER, payload, this::apply);
    }

    /**
     * Decides on the job as committed now, under its workflow's lock: a cancel committed meanwhile is seen and
     * kept (a stale write would fail on the job's version and the inbox retries from fresh state).
     */
    private Uni<Void> apply(JobEvent event) {
        return locks.lockJob(event.jobId()).chain(job -> {
            if (job == null || !job.orgId.equals(event.orgId())) {
                LOG.debugf("ignored %s for unknown job %s", event.getClass().getSimpleName(), event.jobId());
                return Uni.createFrom().voidItem();
            }
            if (job.status != JobStatus.QUEUED) {
                LOG.infof(
                        "ignored %s for job %s, which is %s",
                        event.getClass().getSimpleName(), job.id, job.status.wireName());
                return Uni.createFrom().voidItem();
            }
            if (event instanceof JobContextsResolved resolved) {
                job.contextsResolved = true;
                job.contextIds =
                        resolved.contextIds().stream().map(UUID::toString).toList();
                // long-polling claims wake on this commit instead of their next look
                return signals.notifyOnCommit(ExecutorService.CLAIMABLE, ExecutorService.claimTopic(job));
            }
            if (event instanceof JobContextsDenied denied) {
                return lifecycle.end(job, JobStatus.UNAUTHORIZED, null, denied.reason());
            }
            return Uni.createFrom().voidItem();
        });
    }
}
