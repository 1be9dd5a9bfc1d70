package dev.keyless.scheduler.pipeline.service;

import dev.keyless.scheduler.pipeline.model.Job;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The locking rule of the job state machine. Whether a blocked job runs depends on the states of the other jobs of
 * its workflow, so every transaction that changes a job's status first locks the job's workflow row, then loads
 * the jobs it changes: two parents finishing at once are applied one after the other, and the second sees the
 * first. Locks are taken in one order (workflow, then job) so that writers never deadlock each other; the claim
 * and the heartbeat, which decide nothing for other jobs, lock only the job. Job rows also carry a version, so a
 * write from a copy loaded outside these rules fails instead of undoing a newer change.
 */
@ApplicationScoped
public class JobLocks {

    /** PostgreSQL: deadlock detected, serialization failure. */
    private static final Set<String> RETRYABLE_SQL_STATES = Set.of("40P01", "40001");

    private static final int ATTEMPTS = 5;

    /** Locks the workflow; the caller then loads its jobs with their committed state. */
    public Uni<Void> lockWorkflow(UUID workflowId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select cast(id as varchar) from workflow where id = :id for update", String.class)
                        .setParameter("id", workflowId)
                        .getResultList())
                .replaceWithVoid();
    }

    /**
     * Locks the job's workflow, then loads the job locked; null when no such job exists. A job never changes
     * workflow, so one statement finds and locks the workflow row.
     */
    public Uni<Job> lockJob(UUID jobId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                """
                                select cast(w.id as varchar) from workflow w join job j on j.workflow_id = w.id
                                where j.id = :id for update of w""",
                                String.class)
                        .setParameter("id", jobId)
                        .getResultList())
                .chain(workflowIds -> workflowIds.isEmpty()
                        ? Uni.createFrom().nullItem()
                        : Job.<Job>findById(jobId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Locks every workflow of the pipeline (in id order), then loads all its jobs locked, in workflow order. */
    public Uni<List<Job>> lockPipeline(UUID pipelineId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select cast(id as varchar) from workflow where pipeline_id = :id order by id for update",
                                String.class)
                        .setParameter("id", pipelineId)
                        .getResultList())
                .chain(() -> Job.<Job>find("pipelineId = ?1 order by workflowId, position", pipelineId)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .list());
    }

    /**
     * Runs {@code work} in a transaction of its own, again from fresh state when it lost a race (a stale job
     * version, a deadlock the database broke, a serialization failure). Call it outside any session.
     */
    public static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom()
                .deferred(() -> Panache.withTransaction(work))
                .onFailure(JobLocks::lostRace)
                .retry()
                .withBackOff(Duration.ofMillis(5), Duration.ofMillis(200))
                .atMost(ATTEMPTS);
    }

    static boolean lostRace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OptimisticLockException
                    || cause instanceof StaleStateException
                    || cause instanceof PgException pg && RETRYABLE_SQL_STATES.contains(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
