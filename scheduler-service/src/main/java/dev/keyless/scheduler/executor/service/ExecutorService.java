package dev.keyless.scheduler.executor.service;

import dev.keyless.credential.JobCredential;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.config.SchedulerConfig;
import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.JobStateMachine;
import dev.keyless.scheduler.pipeline.model.JobStatus;
import dev.keyless.scheduler.pipeline.service.JobLifecycle;
import dev.keyless.scheduler.pipeline.service.JobLocks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Claims, heartbeats and completion: the executor side of a job. */
@ApplicationScoped
public class ExecutorService {

    /** Signal channel of "a job became claimable" (topic: its project id), notified on the commit that did it. */
    public static final String CLAIMABLE = "keyless_claimable";

    /** The {@link #CLAIMABLE} topic of a job: its project, which wakes that project's claims and unscoped ones. */
    public static String claimTopic(Job job) {
        return job.projectId == null ? CommitSignals.ALL : job.projectId.toString();
    }

    private final JobLifecycle lifecycle;
    private final JobLocks locks;
    private final JobCredentialIssuer credentials;
    private final SchedulerConfig config;
    private final CommitSignals signals;

    public ExecutorService(
            JobLifecycle lifecycle,
            JobLocks locks,
            JobCredentialIssuer credentials,
            SchedulerConfig config,
            CommitSignals signals) {
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.credentials = credentials;
        this.config = config;
        this.signals = signals;
    }

    /** A claimed job with its credential. */
    public record Claimed(Job job, JobCredentialIssuer.Issued credential) {}

    /**
     * Claims the oldest claimable job (queued with its contexts resolved), waiting up to {@code waitSeconds} for
     * one: it looks again as soon as a commit makes a job claimable (in any replica), and every poll interval as
     * the safety net, never blocking the event loop. Null when none came.
     *
     * @param projectId only jobs of this project when not null (executors dedicated to a project)
     */
    public Uni<Claimed> claim(UUID projectId, int waitSeconds) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        return claimUntil(projectId, deadline);
    }

    private Uni<Claimed> claimUntil(UUID projectId, long deadline) {
        // taken before the look, so a job made claimable while the look runs still wakes this claim; queued: each
        // claimable job wakes one waiting claim, not all of them
        CommitSignals.Waiter waiter =
                signals.queuedWaiter(CLAIMABLE, projectId == null ? CommitSignals.ALL : projectId.toString());
        return JobLocks.inTransaction(() -> claimOnce(projectId))
                .onFailure()
                .invoke(waiter::cancel)
                .chain(claimed -> {
                    long left = deadline - System.nanoTime();
                    if (claimed != null || left <= 0) {
                        waiter.cancel();
                        return Uni.createFrom().item(claimed);
                    }
                    long delayMillis =
                            Math.max(1, Math.min(config.claim().pollInterval().toMillis(), left / 1_000_000));
                    return waiter.await(Duration.ofMillis(delayMillis)).chain(() -> claimUntil(projectId, deadline));
                });
    }

    private Uni<Claimed> claimOnce(UUID projectId) {
        // SKIP LOCKED: concurrent claims each take a different row, or none; never the same job twice. The row comes
        // back as the entity, locked, so the claim reads it once
        String sql = "select * from job where status = 'queued' and contexts_resolved"
                + (projectId == null ? "" : " and project_id = :projectId")
                + " order by queued_at, id limit 1 for update skip locked";
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql, Job.class);
                    if (projectId != null) {
                        query.setParameter("projectId", projectId);
                    }
                    return query.getResultList();
                })
                .map(jobs -> jobs.isEmpty() ? null : start(jobs.get(0)));
    }

    private Claimed start(Job job) {
        Instant now = Instant.now();
        JobStateMachine.transition(job, JobStatus.RUNNING, null, now);
        JobCredentialIssuer.Issued credential = credentials.issue(job, now);
        job.credentialId = credential.id();
        return new Claimed(job, credential);
    }

    /**
     * Records the heartbeat and answers the claim's credential renewed. The heartbeat decides nothing for other
     * jobs, so it locks the job only.
     */
    public Uni<JobCredentialIssuer.Issued> heartbeat(JobCredential credential) {
        return JobLocks.inTransaction(() -> Job.<Job>findById(credential.jobId(), LockModeType.PESSIMISTIC_WRITE)
                .invoke(job -> requireCurrentClaim(job, credential))
                .map(job -> {
                    Instant now = Instant.now();
                    job.lastHeartbeatAt = now;
                    return credentials.renew(job, now);
                }));
    }

    /**
     * Ends the job with the command's exit code, under its workflow's lock (its dependents are decided here).
     *
     * @param reason the runner's reason for a failure, or null to state the exit code
     */
    public Uni<Job> complete(JobCredential credential, int exitCode, String reason) {
        return JobLocks.inTransaction(() -> locks.lockJob(credential.jobId())
                .invoke(job -> requireCurrentClaim(job, credential))
                .call(job -> lifecycle.end(
                        job,
                        exitCode == 0 ? JobStatus.SUCCESS : JobStatus.FAILED,
                        exitCode,
                        exitCode == 0 ? null : reason != null ? reason : "the command exited with code " + exitCode)));
    }

    /** Refuses the credential unless its job runs under this very claim (not ended, not claimed again). */
    private static void requireCurrentClaim(Job job, JobCredential credential) {
        if (job == null) {
            throw ProblemException.notFound("job " + credential.jobId() + " does not exist");
        }
        if (job.status.terminal()) {
            throw ProblemException.unauthorized("the job has ended; its credential is no longer valid");
        }
        if (job.status != JobStatus.RUNNING || !credential.tokenId().equals(job.credentialId)) {
            throw ProblemException.unauthorized("this credential is not the job's current claim");
        }
    }
}
