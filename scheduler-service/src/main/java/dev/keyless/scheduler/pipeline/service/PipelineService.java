package dev.keyless.scheduler.pipeline.service;

import dev.keyless.messaging.persistence.Conflicts;
import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.org.model.OrgUser;
import dev.keyless.scheduler.org.model.Project;
import dev.keyless.scheduler.org.service.OrgService;
import dev.keyless.scheduler.pipeline.definition.PipelineDefinition;
import dev.keyless.scheduler.pipeline.definition.PipelineDefinition.JobDefinition;
import dev.keyless.scheduler.pipeline.definition.PipelineDefinition.WorkflowDefinition;
import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.JobStatus;
import dev.keyless.scheduler.pipeline.model.Pipeline;
import dev.keyless.scheduler.pipeline.model.Workflow;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Triggers, reads and cancels pipelines. */
@ApplicationScoped
public class PipelineService {

    private final OrgService orgs;
    private final JobLifecycle lifecycle;
    private final JobLocks locks;

    public PipelineService(OrgService orgs, JobLifecycle lifecycle, JobLocks locks) {
        this.orgs = orgs;
        this.lifecycle = lifecycle;
        this.locks = locks;
    }

    /**
     * Writes the pipeline, its workflows and jobs, and queues the jobs that require nothing, in one transaction.
     * With an idempotency key, a retry of the same request returns the pipeline it created; the same key with a
     * different request is refused (422).
     */
    public Uni<PipelineGraph> trigger(
            Project project, PipelineDefinition definition, String idempotencyKey, String requestHash) {
        Uni<PipelineGraph> created = Panache.withTransaction(() -> existing(project, idempotencyKey, requestHash)
                .chain(found ->
                        found != null ? graph(found) : create(project, definition, idempotencyKey, requestHash)));
        if (idempotencyKey == null) {
            return created;
        }
        // two retries raced: the loser's insert hit the unique key; answer with the winner's pipeline
        return created.onFailure(Conflicts::isUniqueViolation)
                .recoverWithUni(() -> Panache.withSession(
                        () -> existing(project, idempotencyKey, requestHash).chain(this::graph)));
    }

    private Uni<Pipeline> existing(Project project, String idempotencyKey, String requestHash) {
        if (idempotencyKey == null) {
            return Uni.createFrom().nullItem();
        }
        return Pipeline.<Pipeline>find("projectId = ?1 and idempotencyKey = ?2", project.id, idempotencyKey)
                .firstResult()
                .invoke(found -> {
                    if (found != null && !found.requestHash.equals(requestHash)) {
                        throw ProblemException.unprocessable("Idempotency-Key '" + idempotencyKey
                                + "' was already used for a different trigger of this project");
                    }
                });
    }

    private Uni<PipelineGraph> create(
            Project project, PipelineDefinition definition, String idempotencyKey, String requestHash) {
        return OrgUser.<OrgUser>findById(definition.userId())
                .invoke(user -> {
                    if (user == null || !user.orgId.equals(project.orgId)) {
                        throw ProblemException.badRequest(
                                "user_id: " + definition.userId() + " is not a user of the project's org");
                    }
                })
                .chain(user -> orgs.groupNames(user.id))
                .chain(groups -> {
                    Instant now = Instant.now();
                    Pipeline pipeline = new Pipeline();
                    pipeline.id = UUID.randomUUID();
                    pipeline.orgId = project.orgId;
                    pipeline.projectId = project.id;
                    pipeline.userId = definition.userId();
                    pipeline.actorGroups = groups;
                    pipeline.vcsOrigin = project.vcsOrigin;
                    pipeline.vcsRef = definition.vcsRef();
                    pipeline.revision = definition.revision();
                    pipeline.triggerSource = definition.triggerSource();
                    pipeline.idempotencyKey = idempotencyKey;
                    pipeline.requestHash = requestHash;
                    pipeline.createdAt = now;
                    List<Workflow> workflows = new ArrayList<>();
                    List<Job> jobs = new ArrayList<>();
                    for (int w = 0; w < definition.workflows().size(); w++) {
                        WorkflowDefinition spec = definition.workflows().get(w);
                        Workflow workflow = new Workflow();
                        workflow.id = UUID.randomUUID();
                        workflow.pipelineId = pipeline.id;
                        workflow.name = spec.name();
                        workflow.position = w;
                        workflows.add(workflow);
                        for (int j = 0; j < spec.jobs().size(); j++) {
                            jobs.add(newJob(pipeline, workflow, spec.jobs().get(j), j, now));
                        }
                    }
                    // parents first: the job and workflow rows reference them
                    Uni<Void> written = pipeline.persist()
                            .chain(() -> Workflow.persist(workflows))
                            .chain(() -> Job.persist(jobs))
                            .call(() -> Panache.getSession().chain(session -> session.flush()));
                    for (Workflow workflow : workflows) {
                        written = written.chain(() -> lifecycle.advance(workflow.id, pipeline.id));
                    }
                    return written.map(ignored -> new PipelineGraph(pipeline, workflows, jobs));
                });
    }

    private static Job newJob(Pipeline pipeline, Workflow workflow, JobDefinition spec, int position, Instant now) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.orgId = pipeline.orgId;
        job.projectId = pipeline.projectId;
        job.pipelineId = pipeline.id;
        job.workflowId = workflow.id;
        job.name = spec.name();
        job.position = position;
        job.command = spec.command();
        job.steps = spec.steps();
        job.environment = spec.environment();
        job.image = spec.image();
        job.contexts = spec.contexts();
        job.requires = spec.requires();
        job.sshRerun = spec.sshRerun();
        job.timeoutSeconds = spec.timeoutSeconds();
        job.status = JobStatus.BLOCKED;
        job.createdAt = now;
        return job;
    }

    @WithSession
    public Uni<PipelineGraph> pipeline(UUID pipelineId) {
        return Pipeline.<Pipeline>findById(pipelineId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("pipeline " + pipelineId + " does not exist"))
                .chain(this::graph);
    }

    /** The project's most recent pipelines, newest first. */
    @WithSession
    public Uni<List<Pipeline>> recent(UUID projectId, int limit) {
        return Pipeline.<Pipeline>find("projectId = ?1 order by createdAt desc, id", projectId)
                .page(0, limit)
                .list();
    }

    /**
     * Cancels every job of the pipeline that has not ended; running jobs' credentials die with them. The jobs are
     * loaded under their workflows' locks, so a job that succeeded or was claimed a moment ago is seen as it is now.
     */
    public Uni<PipelineGraph> cancel(UUID pipelineId, String reason) {
        return JobLocks.inTransaction(() -> Pipeline.<Pipeline>findById(pipelineId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("pipeline " + pipelineId + " does not exist"))
                .call(pipeline -> locks.lockPipeline(pipelineId).chain(jobs -> lifecycle.cancelAll(jobs, reason)))
                .chain(this::graph));
    }

    @WithSession
    public Uni<Job> job(UUID jobId) {
        return Job.<Job>findById(jobId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("job " + jobId + " does not exist"));
    }

    private Uni<PipelineGraph> graph(Pipeline pipeline) {
        return Workflow.<Workflow>list("pipelineId = ?1 order by position", pipeline.id)
                .chain(workflows -> Job.<Job>list("pipelineId = ?1 order by position", pipeline.id)
                        .map(jobs -> new PipelineGraph(pipeline, workflows, jobs)));
    }
}
