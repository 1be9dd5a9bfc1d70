package dev.keyless.scheduler.pipeline.definition;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.UUID;

/**
 * A pipeline trigger as the caller wrote it (JSON body, or a YAML config plus query parameters), before
 * validation. {@link PipelineValidator} turns it into a {@link PipelineDefinition} or says what is wrong.
 *
 * @param ref           {@code refs/heads/x}, {@code refs/tags/x}, or a bare branch name; or use {@code branch} / {@code tag}
 * @param triggerSource {@code push}, {@code api} (default), {@code fork_pull_request} or {@code schedule}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TriggerRequest(
        String ref,
        String branch,
        String tag,
        String revision,
        String triggerSource,
        UUID userId,
        List<WorkflowRequest> workflows) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record WorkflowRequest(String name, List<JobRequest> jobs) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record JobRequest(
            String name,
            String command,
            List<String> contexts,
            List<String> requires,
            Boolean sshRerun,
            Integer timeoutSeconds) {
    }
}
