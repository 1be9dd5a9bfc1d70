package dev.keyless.issuer.trust.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.UUID;

/**
 * A would-be job: one of {@code ref}, {@code branch} or {@code tag}; the triggering user and the security groups the
 * scheduler would report for them; the contexts it names; its job name (restrictions may read it); whether it comes
 * from a forked pull request (else {@code trigger_source}, default {@code push}); ssh rerun; and the audience of the
 * on-demand token to show.
 */
public record PreviewRequest(
        @JsonProperty("ref") String ref,
        @JsonProperty("branch") String branch,
        @JsonProperty("tag") String tag,
        @JsonProperty("user_id") UUID userId,
        @JsonProperty("user_groups") List<String> userGroups,
        @JsonProperty("contexts") List<String> contexts,
        @JsonProperty("job_name") String jobName,
        @JsonProperty("fork_pull_request") Boolean forkPullRequest,
        @JsonProperty("trigger_source") String triggerSource,
        @JsonProperty("ssh_rerun") Boolean sshRerun,
        @JsonProperty("audience") String audience) {}
