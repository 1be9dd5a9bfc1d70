package dev.keyless.context.jobs.model;

import dev.keyless.context.context.service.JobFacts;
import dev.keyless.messaging.persistence.StringListConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as context-service knows it: which contexts it resolved to (or why it was denied), and its facts. */
@Entity
@Table(name = "job_resolution")
public class JobResolution {

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "pipeline_id")
    public UUID pipelineId;

    @Column(name = "workflow_id")
    public UUID workflowId;

    @Column(name = "job_name")
    public String jobName;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "actor_groups", nullable = false)
    @Convert(converter = StringListConverter.class)
    public List<String> actorGroups = List.of();

    @Column(name = "vcs_origin")
    public String vcsOrigin;

    @Column(name = "vcs_ref")
    public String vcsRef;

    public String revision;

    @Column(name = "trigger_source")
    public String triggerSource;

    @Column(name = "ssh_rerun", nullable = false)
    public boolean sshRerun;

    @Column(name = "context_names", nullable = false)
    @Convert(converter = StringListConverter.class)
    public List<String> contextNames = List.of();

    /** Resolved context ids in the job's order (empty unless RESOLVED). */
    @Column(name = "context_ids", nullable = false)
    @Convert(converter = StringListConverter.class)
    public List<String> contextIds = List.of();

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ResolutionState state;

    @Column(name = "denied_reason")
    public String deniedReason;

    @Column(name = "resolved_at", nullable = false)
    public Instant resolvedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public JobFacts facts() {
        return new JobFacts(
                projectId,
                pipelineId,
                workflowId,
                jobName,
                actorGroups,
                vcsOrigin,
                vcsRef,
                revision,
                triggerSource,
                sshRerun);
    }

    public List<UUID> contextUuids() {
        return contextIds.stream().map(UUID::fromString).toList();
    }
}
