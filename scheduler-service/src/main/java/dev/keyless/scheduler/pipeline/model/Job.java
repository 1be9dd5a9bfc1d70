package dev.keyless.scheduler.pipeline.model;

import dev.keyless.messaging.persistence.StringListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job of a workflow. Change {@link #status} only through {@link JobStateMachine}, in a transaction that holds
 * the lock of the job's workflow (see {@code JobLocks}) before it loads any job of that workflow.
 */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(name = "pipeline_id", nullable = false)
    public UUID pipelineId;

    @Column(name = "workflow_id", nullable = false)
    public UUID workflowId;

    @Column(nullable = false)
    public String name;

    /** Order of the job in its workflow. */
    @Column(nullable = false)
    public int position;

    /** The job as one shell script; with {@link #steps}, what an executor that predates steps runs instead. */
    @Column(nullable = false)
    public String command;

    /** The steps from a CircleCI config, in order; null for a job triggered with a plain command. */
    @Convert(converter = JobStepsConverter.class)
    @Column(name = "steps")
    public List<JobStep> steps;

    /** The job's own environment from its config (job, executor and primary container {@code environment}). */
    @Convert(converter = StringMapConverter.class)
    @Column(name = "environment")
    public Map<String, String> environment;

    /** The first image of the job's executor; a container runner starts the job in it. */
    @Column(name = "image")
    public String image;

    /** {@code CIRCLE_BUILD_NUM}: given by the database on insert, so read it from a loaded job only. */
    @Column(name = "build_num", insertable = false, updatable = false)
    public Long buildNum;

    /** Context names, in the job's order. */
    @Convert(converter = StringListConverter.class)
    @Column(nullable = false)
    public List<String> contexts;

    /** Names of the jobs of the same workflow that must succeed first. */
    @Convert(converter = StringListConverter.class)
    @Column(nullable = false)
    public List<String> requires;

    @Column(name = "ssh_rerun", nullable = false)
    public boolean sshRerun;

    @Column(name = "timeout_seconds", nullable = false)
    public int timeoutSeconds;

    @Convert(converter = JobStatus.Converter.class)
    @Column(nullable = false)
    public JobStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "exit_code")
    public Integer exitCode;

    /** context-service resolved the job's contexts: with {@code queued}, the job is claimable. */
    @Column(name = "contexts_resolved", nullable = false)
    public boolean contextsResolved;

    @Convert(converter = StringListConverter.class)
    @Column(name = "context_ids")
    public List<String> contextIds;

    /** {@code jti} of the current claim's job credential; an older credential of the same job is refused. */
    @Column(name = "credential_id")
    public String credentialId;

    /** How many times executors claimed the job (more than one after a lost executor was retried). */
    @Column(nullable = false)
    public int claims;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "queued_at")
    public Instant queuedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Optimistic lock: a write from a stale copy fails instead of undoing a newer change. */
    @Version
    @Column(nullable = false)
    public long version;
}
