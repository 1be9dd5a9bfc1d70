package dev.keyless.issuer.job.model;

import dev.keyless.issuer.token.mint.JobClaimData;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** A job as the issuer knows it: its claim data once resolved, and when it finished. */
@Entity
@Table(name = "job_claims")
public class JobClaimsEntity extends PanacheEntityBase {

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

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "vcs_origin")
    public String vcsOrigin;

    @Column(name = "vcs_ref")
    public String vcsRef;

    @Column(name = "ssh_rerun", nullable = false)
    public boolean sshRerun;

    /** Comma-separated, in the job's order. */
    @Column(name = "context_ids")
    public String contextIds;

    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public List<UUID> contextIdList() {
        if (contextIds == null || contextIds.isBlank()) {
            return List.of();
        }
        return Arrays.stream(contextIds.split(",")).map(UUID::fromString).toList();
    }

    public void setContextIdList(List<UUID> ids) {
        contextIds = ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }

    public JobClaimData claimData() {
        return new JobClaimData(
                jobId, orgId, projectId, pipelineId, workflowId, userId, vcsOrigin, vcsRef, sshRerun, contextIdList());
    }
}
