package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.pipeline.model.JobStep;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A validated pipeline: normalized ref, known trigger source, workflows whose {@code requires} form a DAG. */
public record PipelineDefinition(
        String vcsRef, String revision, String triggerSource, UUID userId, List<WorkflowDefinition> workflows) {

    public record WorkflowDefinition(String name, List<JobDefinition> jobs) {}

    public record JobDefinition(
            String name,
            String command,
            List<String> contexts,
            List<String> requires,
            boolean sshRerun,
            int timeoutSeconds,
            List<JobStep> steps,
            Map<String, String> environment,
            String image) {}
}
