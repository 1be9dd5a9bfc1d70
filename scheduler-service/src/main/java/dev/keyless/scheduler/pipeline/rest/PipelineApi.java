package dev.keyless.scheduler.pipeline.rest;

import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.JobStatus;
import dev.keyless.scheduler.pipeline.model.JobStep;
import dev.keyless.scheduler.pipeline.model.Pipeline;
import dev.keyless.scheduler.pipeline.service.PipelineGraph;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response bodies of the pipeline and job API (snake_case JSON). */
public final class PipelineApi {

    private PipelineApi() {}

    public record PipelineView(
            UUID id,
            UUID orgId,
            UUID projectId,
            UUID userId,
            String vcsOrigin,
            String vcsRef,
            String revision,
            String triggerSource,
            Instant createdAt,
            List<WorkflowView> workflows) {

        public static PipelineView of(PipelineGraph graph) {
            Pipeline p = graph.pipeline();
            List<WorkflowView> workflows = graph.workflows().stream()
                    .map(workflow -> new WorkflowView(
                            workflow.id,
                            workflow.name,
                            graph.jobs().stream()
                                    .filter(job -> job.workflowId.equals(workflow.id))
                                    .map(job -> new JobSummary(
                                            job.id,
                                            job.name,
                                            job.status,
                                            job.requires,
                                            job.statusReason,
                                            job.contexts,
                                            job.image,
                                            job.steps))
                                    .toList()))
                    .toList();
            return new PipelineView(
                    p.id,
                    p.orgId,
                    p.projectId,
                    p.userId,
                    p.vcsOrigin,
                    p.vcsRef,
                    p.revision,
                    p.triggerSource,
                    p.createdAt,
                    workflows);
        }
    }

    public record PipelineSummary(
            UUID id,
            UUID projectId,
            UUID userId,
            String vcsRef,
            String revision,
            String triggerSource,
            Instant createdAt) {

        public static PipelineSummary of(Pipeline p) {
            return new PipelineSummary(p.id, p.projectId, p.userId, p.vcsRef, p.revision, p.triggerSource, p.createdAt);
        }
    }

    public record WorkflowView(UUID id, String name, List<JobSummary> jobs) {}

    /** @param steps a config's job: the steps it runs, commands and orb commands expanded */
    public record JobSummary(
            UUID id,
            String name,
            JobStatus status,
            List<String> requires,
            String statusReason,
            List<String> contexts,
            String image,
            List<JobStep> steps) {}

    /**
     * @param contextsResolved context-service resolved the job's contexts (a queued job is claimable only then)
     * @param steps            a config's job: its steps as the executor runs them (null for a plain command)
     */
    public record JobView(
            UUID id,
            String name,
            JobStatus status,
            String statusReason,
            Integer exitCode,
            UUID orgId,
            UUID projectId,
            UUID pipelineId,
            UUID workflowId,
            List<String> contexts,
            List<String> requires,
            String command,
            String image,
            Map<String, String> environment,
            List<JobStep> steps,
            boolean sshRerun,
            int timeoutSeconds,
            boolean contextsResolved,
            int claims,
            Instant createdAt,
            Instant queuedAt,
            Instant startedAt,
            Instant finishedAt) {

        public static JobView of(Job job) {
            return new JobView(
                    job.id,
                    job.name,
                    job.status,
                    job.statusReason,
                    job.exitCode,
                    job.orgId,
                    job.projectId,
                    job.pipelineId,
                    job.workflowId,
                    job.contexts,
                    job.requires,
                    job.command,
                    job.image,
                    job.environment,
                    job.steps,
                    job.sshRerun,
                    job.timeoutSeconds,
                    job.contextsResolved,
                    job.claims,
                    job.createdAt,
                    job.queuedAt,
                    job.startedAt,
                    job.finishedAt);
        }
    }
}
