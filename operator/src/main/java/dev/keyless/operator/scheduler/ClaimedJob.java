package dev.keyless.operator.scheduler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.UUID;

/** A job the scheduler handed to the operator; {@code credential} goes to the job's Secret and nowhere else. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimedJob(
        @JsonProperty("job_id") UUID jobId,
        @JsonProperty("org_id") UUID orgId,
        @JsonProperty("project_id") UUID projectId,
        @JsonProperty("pipeline_id") UUID pipelineId,
        @JsonProperty("workflow_id") UUID workflowId,
        @JsonProperty("name") String name,
        @JsonProperty("command") String command,
        @JsonProperty("timeout_seconds") int timeoutSeconds,
        @JsonProperty("credential") String credential) {

    @Override
    public String toString() {
        // the credential is a bearer secret: keep it out of any log line
        return "ClaimedJob[jobId=" + jobId + ", name=" + name + "]";
    }
}
