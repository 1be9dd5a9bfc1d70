package dev.keyless.issuer.trust.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a would-be job would receive. Ids that only a real job has (pipeline, workflow, job, jti) are freshly made
 * up, times are now; every other claim is what the job's tokens would say.
 *
 * @param getsTokens    whether the job would get tokens at all
 * @param reason        why not, in the words a real job would get
 * @param rollouts      templates saved but not active yet: the project's recent jobs with their V2 {@code sub} now
 *                      and once the template is active, so relying parties can be updated first
 */
public record PreviewView(
        @JsonProperty("project_id") UUID projectId,
        @JsonProperty("org_id") UUID orgId,
        @JsonProperty("gets_tokens") boolean getsTokens,
        @JsonProperty("reason") String reason,
        @JsonProperty("v1") Map<String, Object> v1,
        @JsonProperty("v2") Map<String, Object> v2,
        @JsonProperty("on_demand") Map<String, Object> onDemand,
        @JsonProperty("subject_template_version") Integer subjectTemplateVersion,
        @JsonProperty("subject_rollouts") List<Rollout> rollouts) {

    public record Rollout(
            @JsonProperty("version") int version,
            @JsonProperty("scope") String scope,
            @JsonProperty("claim_keys") List<String> claimKeys,
            @JsonProperty("activate_at") Instant activateAt,
            @JsonProperty("this_job") SideBySide thisJob,
            @JsonProperty("recent_jobs") List<SideBySide> recentJobs) {}

    public record SideBySide(
            @JsonProperty("job_id") UUID jobId,
            @JsonProperty("vcs_ref") String vcsRef,
            @JsonProperty("sub_now") String subNow,
            @JsonProperty("sub_after") String subAfter) {}
}
