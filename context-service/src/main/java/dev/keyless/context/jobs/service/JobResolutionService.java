package dev.keyless.context.jobs.service;

import dev.keyless.context.audit.service.AuditService;
import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.service.ContextAuthorizer;
import dev.keyless.context.jobs.model.JobResolution;
import dev.keyless.context.jobs.model.ResolutionState;
import dev.keyless.context.jobs.repository.JobResolutionRepository;
import dev.keyless.credential.revocation.RevokedJobCredentialRepository;
import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import dev.keyless.events.JobStarted;
import dev.keyless.messaging.outbox.Outbox;
import dev.keyless.messaging.signal.CommitSignals;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Resolves a started job's contexts and records the outcome with its event in one transaction (the caller's, from
 * {@code Inbox.process}); marks finished jobs so their credentials are refused.
 */
@ApplicationScoped
public class JobResolutionService {

    static final String SYSTEM_ACTOR = "context-service";
    private static final Logger LOG = Logger.getLogger(JobResolutionService.class);

    private final JobResolutionRepository jobs;
    private final RevokedJobCredentialRepository revokedCredentials;
    private final ContextAuthorizer authorizer;
    private final Outbox outbox;
    private final AuditService audit;
    private final CommitSignals signals;

    public JobResolutionService(
            JobResolutionRepository jobs,
            RevokedJobCredentialRepository revokedCredentials,
            ContextAuthorizer authorizer,
            Outbox outbox,
            AuditService audit,
            CommitSignals signals) {
        this.signals = signals;
        this.jobs = jobs;
        this.revokedCredentials = revokedCredentials;
        this.authorizer = authorizer;
        this.outbox = outbox;
        this.audit = audit;
    }

    public Uni<Void> onJobStarted(JobStarted started) {
        return jobs.findById(started.jobId()).chain(existing -> {
            if (existing != null) {
                // the scheduler re-sent the job under a new event id, or it already ended: resolved once
                LOG.debugf("job %s already known (%s); JobStarted ignored", started.jobId(), existing.state);
                return Uni.createFrom().voidItem();
            }
            JobResolution job = fromEvent(started);
            return authorizer
                    .byNames(started.orgId(), started.contextNames(), job.facts())
                    .chain(decision -> decision.denial().isPresent()
                            ? deny(
                                    job,
                                    decision.denial().get().contextName(),
                                    decision.denial().get().reason())
                            : resolve(started, job, decision.contexts()));
        });
    }

    private Uni<Void> resolve(JobStarted started, JobResolution job, List<Context> contexts) {
        List<UUID> ids = contexts.stream().map(c -> c.id).toList();
        job.state = ResolutionState.RESOLVED;
        job.contextIds = ids.stream().map(UUID::toString).toList();
        job.contextNames = contexts.stream().map(c -> c.name).toList();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("contexts", job.contextNames);
        LOG.infof("job %s resolved to %d context(s)", job.jobId, ids.size());
        return jobs.persist(job)
                .chain(() -> outbox.enqueue(new JobContextsResolved(
                        UUID.randomUUID(),
                        JobContextsResolved.CURRENT_VERSION,
                        Instant.now(),
                        started.jobId(),
                        started.orgId(),
                        started.projectId(),
                        started.pipelineId(),
                        started.workflowId(),
                        started.userId(),
                        started.vcsOrigin(),
                        started.vcsRef(),
                        started.sshRerun(),
                        ids,
                        started.timeoutSeconds())))
                .chain(() -> audit.record(job.orgId, SYSTEM_ACTOR, "job.contexts_resolved", null, job.jobId, detail))
                .chain(() -> signals.notifyOnCommit(PullWait.RESOLUTION_WRITTEN, job.jobId.toString()));
    }

    private Uni<Void> deny(JobResolution job, String contextName, String reason) {
        job.state = ResolutionState.DENIED;
        job.deniedReason = reason;
        LOG.infof("job %s denied: %s", job.jobId, reason);
        return jobs.persist(job)
                .chain(() -> outbox.enqueue(new JobContextsDenied(
                        UUID.randomUUID(),
                        JobContextsDenied.CURRENT_VERSION,
                        Instant.now(),
                        job.jobId,
                        job.orgId,
                        contextName,
                        reason)))
                .chain(() -> audit.record(
                        job.orgId,
                        SYSTEM_ACTOR,
                        "job.contexts_denied",
                        null,
                        job.jobId,
                        Map.of("context", contextName, "reason", reason)))
                .chain(() -> signals.notifyOnCommit(PullWait.RESOLUTION_WRITTEN, job.jobId.toString()));
    }

    /**
     * From now on the revoked credential cannot pull the job's environment; the job's other credentials can. Once
     * the job has finished every credential of it is refused already, so a late revocation keeps no row.
     */
    public Uni<Void> onJobCredentialRevoked(JobCredentialRevoked event) {
        return jobs.findById(event.jobId())
                .chain(job -> revokedCredentials.onJobCredentialRevoked(event, job != null && job.finishedAt != null))
                .chain(stored -> {
                    if (!stored) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("job %s: a credential was revoked (%s)", event.jobId(), event.reason());
                    return audit.record(
                            event.orgId(),
                            SYSTEM_ACTOR,
                            "job.credential_revoked",
                            null,
                            event.jobId(),
                            Map.of("reason", event.reason() == null ? "" : event.reason()));
                });
    }

    public Uni<Void> onJobFinished(JobFinished finished) {
        return revokedCredentials
                .onJobFinished(finished)
                .chain(() -> jobs.findById(finished.jobId()))
                .chain(job -> markFinished(job, finished));
    }

    private Uni<Void> markFinished(JobResolution job, JobFinished finished) {
        Instant finishedAt = finished.occurredAt() == null ? Instant.now() : finished.occurredAt();
        if (job == null) {
            JobResolution unseen = new JobResolution();
            unseen.jobId = finished.jobId();
            unseen.orgId = finished.orgId();
            unseen.state = ResolutionState.NEVER_STARTED;
            unseen.resolvedAt = Instant.now();
            unseen.finishedAt = finishedAt;
            return jobs.persist(unseen).replaceWithVoid();
        }
        if (job.finishedAt == null) {
            job.finishedAt = finishedAt;
        }
        return Uni.createFrom().voidItem();
    }

    private static JobResolution fromEvent(JobStarted started) {
        JobResolution job = new JobResolution();
        job.jobId = started.jobId();
        job.orgId = started.orgId();
        job.projectId = started.projectId();
        job.pipelineId = started.pipelineId();
        job.workflowId = started.workflowId();
        job.jobName = started.jobName();
        job.userId = started.userId();
        job.actorGroups = started.actorGroups();
        job.vcsOrigin = started.vcsOrigin();
        job.vcsRef = started.vcsRef();
        job.revision = started.revision();
        job.triggerSource = started.triggerSource();
        job.sshRerun = started.sshRerun();
        job.contextNames = started.contextNames();
        job.resolvedAt = Instant.now();
        return job;
    }
}
