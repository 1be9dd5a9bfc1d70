package dev.keyless.scheduler.pipeline.definition;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.keyless.scheduler.pipeline.model.JobStep;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A pipeline trigger as the caller wrote it (JSON body, or a YAML config plus query parameters), before
 * validation. {@link PipelineValidator} turns it into a {@link PipelineDefinition} or says what is wrong.
 *
 * @param ref           {@code refs/heads/x}, {@code refs/tags/x}, or a bare branch name; or use {@code branch} / {@code tag}
 * @param triggerSource {@code push}, {@code api} (default), {@code fork_pull_request} or {@code schedule}
 */
public record TriggerRequest(
        String ref,
        String branch,
        String tag,
        String revision,
        String triggerSource,
        UUID userId,
        List<WorkflowRequest> workflows) {

    public record WorkflowRequest(String name, List<JobRequest> jobs) {}

    /**
     * @param command     the job as one shell script (a JSON trigger's job); for a config's job, the steps as one
     *                    script for executors that predate steps
     * @param steps       a config's job: its steps, commands and orb commands expanded; null for a plain command
     * @param environment a config's job: its own variables (job over executor over primary container)
     * @param image       a config's job: the first image of its executor
     */
    public record JobRequest(
            String name,
            String command,
            List<String> contexts,
            List<String> requires,
            Boolean sshRerun,
            Integer timeoutSeconds,
            @JsonIgnore List<JobStep> steps,
            @JsonIgnore Map<String, String> environment,
            @JsonIgnore String image) {

        public JobRequest(
                String name,
                String command,
                List<String> contexts,
                List<String> requires,
                Boolean sshRerun,
                Integer timeoutSeconds) {
            this(name, command, contexts, requires, sshRerun, timeoutSeconds, null, null, null);
        }
    }
}
