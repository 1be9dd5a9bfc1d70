package dev.keyless.scheduler.executor.service;

import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.Pipeline;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in {@code CIRCLE_*} variables of a claimed job (CircleCI's "Built-in environment variables"), the
 * lowest layer of its environment: contexts, the job's and each step's own variables all win over them.
 */
@ApplicationScoped
public class BuiltInEnvironment {

    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    /** The job's pipeline, read in a session of its own after the claim committed. */
    @WithSession
    public Uni<Pipeline> pipeline(Job job) {
        return Pipeline.findById(job.pipelineId);
    }

    public static Map<String, String> of(Job job, Pipeline pipeline) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CI", "true");
        variables.put("CIRCLECI", "true");
        variables.put("CIRCLE_JOB", job.name);
        if (job.buildNum != null) {
            variables.put("CIRCLE_BUILD_NUM", job.buildNum.toString());
        }
        variables.put("CIRCLE_PROJECT_ID", job.projectId.toString());
        variables.put("CIRCLE_WORKFLOW_ID", job.workflowId.toString());
        variables.put("CIRCLE_WORKFLOW_JOB_ID", job.id.toString());
        variables.put("CIRCLE_PIPELINE_ID", job.pipelineId.toString());
        variables.put("CIRCLE_NODE_INDEX", "0");
        variables.put("CIRCLE_NODE_TOTAL", "1");
        if (pipeline != null) {
            variables.put("CIRCLE_SHA1", pipeline.revision);
            if (pipeline.vcsRef.startsWith(HEADS)) {
                variables.put("CIRCLE_BRANCH", pipeline.vcsRef.substring(HEADS.length()));
            } else if (pipeline.vcsRef.startsWith(TAGS)) {
                variables.put("CIRCLE_TAG", pipeline.vcsRef.substring(TAGS.length()));
            }
            variables.put("CIRCLE_REPOSITORY_URL", "https://" + pipeline.vcsOrigin);
            String[] parts = pipeline.vcsOrigin.split("/");
            if (parts.length >= 3) {
                variables.put("CIRCLE_PROJECT_USERNAME", parts[parts.length - 2]);
                variables.put("CIRCLE_PROJECT_REPONAME", parts[parts.length - 1]);
            }
        }
        return variables;
    }
}
