package dev.keyless.scheduler.pipeline.service;

import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import dev.keyless.events.JobStarted;
import dev.keyless.messaging.outbox.Outbox;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.scheduler.executor.service.ExecutorService;
import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.JobStateMachine;
import dev.keyless.scheduler.pipeline.model.JobStatus;
import dev.keyless.scheduler.pipeline.model.Pipeline;
import dev.keyless.scheduler.pipeline.model.WorkflowProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * State changes that other parts of the platform hear about: each goes through {@link JobStateMachine} and
 * writes its event to the outbox in the caller's transaction, and an ended job moves its workflow on.
 */
@ApplicationScoped
public class JobLifecycle {

    private final Outbox outbox;
    private final JobLocks locks;
    private final MeterRegistry registry;
    private final CommitSignals signals;

    public JobLifecycle(Outbox outbox, JobLocks locks, MeterRegistry registry, CommitSignals signals) {
        this.outbox = outbox;
        this.locks = locks;
        this.registry = registry;
        this.signals = signals;
    }

    /** Queues the job and emits JobStarted (context-service then resolves its contexts). */
    public Uni<Void> queue(Job job, Pipeline pipeline) {
        Instant now = Instant.now();
        JobStateMachine.transition(job, JobStatus.QUEUED, null, now);
        return outbox.enqueue(new JobStarted(
                UUID.randomUUID(),
                JobStarted.CURRENT_VERSION,
                now,
                job.id,
                job.orgId,
                job.projectId,
                job.pipelineId,
                job.workflowId,
                job.name,
                pipeline.userId,
                pipeline.actorGroups,
                pipeline.vcsOrigin,
                pipeline.vcsRef,
                pipeline.revision,
                pipeline.triggerSource,
                job.sshRerun,
                job.contexts,
                job.timeoutSeconds));
    }

    /**
     * Queues a running job again for another executor and emits JobCredentialRevoked, so that the lost executor's
     * credential stops working at context-service and issuer-service too (the scheduler refuses it at once).
     */
    public Uni<Void> requeueLost(Job job, String reason) {
        Instant now = Instant.now();
        String revoked = job.credentialId;
        JobStateMachine.transition(job, JobStatus.QUEUED, reason, now);
        // its contexts stay resolved, so it is claimable again: waiting claims wake on this commit
        Uni<Void> wake = signals.notifyOnCommit(ExecutorService.CLAIMABLE, ExecutorService.claimTopic(job));
        if (revoked == null) {
            return wake;
        }
        return wake.chain(() -> outbox.enqueue(new JobCredentialRevoked(
                UUID.randomUUID(), JobCredentialRevoked.CURRENT_VERSION, now, job.id, job.orgId, revoked, reason)));
    }

    /**
     * Ends the job, emits JobFinished, and queues or skips the jobs that were waiting for it. The caller loaded
     * {@code job} with {@link JobLocks#lockJob}, which locked its workflow, so no other transaction decides for this
     * workflow meanwhile and the lock is not taken again.
     */
    public Uni<Void> end(Job job, JobStatus status, Integer exitCode, String reason) {
        return endWithoutPropagation(job, status, exitCode, reason)
                .chain(() -> advanceLocked(job.workflowId, job.pipelineId));
    }

    /** Cancels every job that has not ended; all of them, so nothing is left to move on. */
    public Uni<Void> cancelAll(List<Job> jobs, String reason) {
        Uni<Void> canceled = Uni.createFrom().voidItem();
        for (Job job : jobs) {
            if (!job.status.terminal()) {
                canceled = canceled.chain(() -> endWithoutPropagation(job, JobStatus.CANCELED, null, reason));
            }
        }
        return canceled;
    }

    /**
     * Queues the blocked jobs of the workflow whose requirements succeeded, and marks not_run those that cannot run.
     * Decides under the workflow's lock, so the last of several parents ending at once sees all of them ended.
     */
    public Uni<Void> advance(UUID workflowId, UUID pipelineId) {
        return locks.lockWorkflow(workflowId).chain(() -> advanceLocked(workflowId, pipelineId));
    }

    private Uni<Void> advanceLocked(UUID workflowId, UUID pipelineId) {
        return Job.<Job>list("workflowId = ?1 order by position", workflowId)
                .chain(jobs -> advance(jobs, pipelineId, null));
    }

    /** Applies the next steps until none is left; the pipeline is read only when a job is to be queued. */
    private Uni<Void> advance(List<Job> jobs, UUID pipelineId, Pipeline loaded) {
        List<WorkflowProgress.Step> steps = WorkflowProgress.next(jobs);
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        boolean queues = steps.stream().anyMatch(step -> step.to() == JobStatus.QUEUED);
        Uni<Pipeline> pipeline =
                loaded != null || !queues ? Uni.createFrom().item(loaded) : Pipeline.<Pipeline>findById(pipelineId);
        return pipeline.chain(found -> {
            Uni<Void> applied = Uni.createFrom().voidItem();
            for (WorkflowProgress.Step step : steps) {
                applied = applied.chain(() -> step.to() == JobStatus.QUEUED
                        ? queue(step.job(), found)
                        : endWithoutPropagation(step.job(), step.to(), null, step.reason()));
            }
            return applied.chain(() -> advance(jobs, pipelineId, found));
        });
    }

    private Uni<Void> endWithoutPropagation(Job job, JobStatus status, Integer exitCode, String reason) {
        Instant now = Instant.now();
        JobStateMachine.transition(job, status, reason, now);
        job.exitCode = exitCode;
        finishedCounter(status).increment();
        return outbox.enqueue(new JobFinished(
                UUID.randomUUID(),
                JobFinished.CURRENT_VERSION,
                now,
                job.id,
                job.orgId,
                status.wireName(),
                exitCode,
                reason));
    }

    private Counter finishedCounter(JobStatus status) {
        return Counter.builder("keyless.jobs.finished")
                .description("Jobs that reached a final status (counted when the change is written)")
                .tag("status", status.wireName())
                .register(registry);
    }
}
