package dev.keyless.scheduler.executor.service;

import dev.keyless.scheduler.config.SchedulerConfig;
import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.JobStatus;
import dev.keyless.scheduler.pipeline.service.JobLifecycle;
import dev.keyless.scheduler.pipeline.service.JobLocks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Ends running jobs that nobody will complete: past their timeout, or whose executor stopped heart-beating
 * (queued again while {@code lost-executor-retries} allows). Each candidate is decided under its workflow's and
 * its own lock on its current state, so replicas reaping at the same time never handle the same job twice.
 */
@ApplicationScoped
public class JobReaper {

    private static final Logger LOG = Logger.getLogger(JobReaper.class);
    private static final int BATCH = 100;

    private final JobLifecycle lifecycle;
    private final JobLocks locks;
    private final SchedulerConfig config;

    public JobReaper(JobLifecycle lifecycle, JobLocks locks, SchedulerConfig config) {
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.config = config;
    }

    @Scheduled(
            every = "${keyless.scheduler.reaper-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reap().onFailure()
                .invoke(failure -> LOG.warnf(
                        "job reaper run failed, retrying next run: %s",
                        failure.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Returns how many jobs were failed or queued again. */
    public Uni<Integer> reap() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                                """
                                select cast(id as varchar) from job
                                where status = 'running'
                                  and (last_heartbeat_at < now() - make_interval(secs => :heartbeat)
                                       or started_at < now() - make_interval(secs => timeout_seconds))
                                order by started_at limit :batch""",
                                String.class)
                        .setParameter(
                                "heartbeat", (double) config.heartbeatTimeout().toMillis() / 1000)
                        .setParameter("batch", BATCH)
                        .getResultList()))
                .chain(this::reapAll);
    }

    /** Each candidate in a transaction of its own, decided again on its locked state (a replica may have acted). */
    private Uni<Integer> reapAll(List<String> ids) {
        Uni<Integer> reaped = Uni.createFrom().item(0);
        for (String id : ids) {
            reaped = reaped.chain(count -> JobLocks.inTransaction(
                            () -> locks.lockJob(UUID.fromString(id)).chain(this::reapOne))
                    .map(acted -> acted ? count + 1 : count));
        }
        return reaped;
    }

    private Uni<Boolean> reapOne(Job job) {
        Instant now = Instant.now();
        if (job == null || job.status != JobStatus.RUNNING) {
            return Uni.createFrom().item(false);
        }
        boolean timedOut = job.startedAt.plusSeconds(job.timeoutSeconds).isBefore(now);
        boolean silent = job.lastHeartbeatAt.plus(config.heartbeatTimeout()).isBefore(now);
        if (!timedOut && !silent) {
            return Uni.createFrom().item(false);
        }
        return decide(job, timedOut).replaceWith(true);
    }

    private Uni<Void> decide(Job job, boolean timedOut) {
        if (timedOut) {
            return lifecycle.end(
                    job, JobStatus.FAILED, null, "the job exceeded its timeout of " + job.timeoutSeconds + " seconds");
        }
        if (job.claims <= config.lostExecutorRetries()) {
            LOG.infof("job %s lost its executor; queued again (claim %d)", job.id, job.claims);
            return lifecycle.requeueLost(job, "its executor stopped sending heartbeats; queued again");
        }
        return lifecycle.end(job, JobStatus.FAILED, null, "the executor stopped sending heartbeats");
    }
}
