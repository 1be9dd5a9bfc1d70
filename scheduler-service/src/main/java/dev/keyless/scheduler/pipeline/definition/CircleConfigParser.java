package dev.keyless.scheduler.pipeline.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.keyless.problem.JsonProblems;
import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.WorkflowRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the subset of a CircleCI 2.1 config that Keyless runs: {@code jobs} whose {@code steps} are
 * {@code run} steps, and {@code workflows} whose {@code jobs} entries carry {@code context}, {@code requires}
 * and an optional {@code name} alias. Executor keys ({@code docker}, {@code machine}, ...) are accepted and
 * ignored; anything that would change what runs and is not supported is refused rather than silently dropped.
 */
public final class CircleConfigParser {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> IGNORED_JOB_KEYS = Set.of("docker", "machine", "macos", "resource_class",
            "working_directory", "parallelism", "executor", "shell", "description");
    private static final Set<String> IGNORED_ENTRY_KEYS = Set.of("filters");

    private CircleConfigParser() {
    }

    /** The trigger's VCS data and user come from query parameters; the workflows from the config. */
    public static TriggerRequest parse(String yaml, String ref, String branch, String tag, String revision,
                                       String triggerSource, UUID userId) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest(JsonProblems.describe(e, "YAML"));
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("the config must be a YAML mapping with jobs and workflows");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!Set.of("version", "jobs", "workflows").contains(key)) {
                throw ProblemException.badRequest("config key '" + key + "' is not supported (only version, jobs, workflows)");
            }
        }
        if (root.has("version") && !"2.1".equals(root.get("version").asText())) {
            throw ProblemException.badRequest("version: only 2.1 configs are supported");
        }
        JsonNode jobs = object(root.get("jobs"), "jobs");
        JsonNode workflows = object(root.get("workflows"), "workflows");
        List<WorkflowRequest> result = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = workflows.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> workflow = it.next();
            if (workflow.getKey().equals("version")) {
                continue;
            }
            result.add(workflow(workflow.getKey(), workflow.getValue(), jobs));
        }
        return new TriggerRequest(ref, branch, tag, revision, triggerSource, userId, result);
    }

    private static WorkflowRequest workflow(String name, JsonNode workflow, JsonNode jobs) {
        String where = "workflows." + name;
        JsonNode entries = workflow == null ? null : workflow.get("jobs");
        if (entries == null || !entries.isArray()) {
            throw ProblemException.badRequest(where + ".jobs: must be a list");
        }
        List<JobRequest> result = new ArrayList<>();
        for (JsonNode entry : entries) {
            String jobName;
            JsonNode parameters = null;
            if (entry.isTextual()) {
                jobName = entry.asText();
            } else if (entry.isObject() && entry.size() == 1) {
                jobName = entry.fieldNames().next();
                parameters = entry.get(jobName);
                if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                    throw ProblemException.badRequest(where + ".jobs." + jobName + ": must be a mapping");
                }
            } else {
                throw ProblemException.badRequest(where + ".jobs: each entry is a job name or {name: {context, requires}}");
            }
            result.add(job(where + ".jobs." + jobName, jobName, parameters, jobs));
        }
        return new WorkflowRequest(name, result);
    }

    private static JobRequest job(String where, String jobName, JsonNode parameters, JsonNode jobs) {
        JsonNode definition = jobs.get(jobName);
        if (definition == null || !definition.isObject()) {
            throw ProblemException.badRequest(where + ": job '" + jobName + "' is not defined under jobs");
        }
        List<String> contexts = List.of();
        List<String> requires = List.of();
        String alias = jobName;
        if (parameters != null && parameters.isObject()) {
            for (Iterator<String> keys = parameters.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!Set.of("context", "requires", "name").contains(key) && !IGNORED_ENTRY_KEYS.contains(key)) {
                    throw ProblemException.badRequest(where + "." + key + ": not supported (context, requires, name)");
                }
            }
            contexts = strings(parameters.get("context"), where + ".context");
            requires = strings(parameters.get("requires"), where + ".requires");
            if (parameters.hasNonNull("name")) {
                alias = parameters.get("name").asText();
            }
        }
        return new JobRequest(alias, command(jobName, definition), contexts, requires,
                definition.hasNonNull("ssh_rerun") ? definition.get("ssh_rerun").asBoolean() : null,
                definition.hasNonNull("timeout_seconds") ? timeout(jobName, definition.get("timeout_seconds")) : null);
    }

    private static String command(String jobName, JsonNode definition) {
        String where = "jobs." + jobName;
        for (Iterator<String> keys = definition.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!Set.of("steps", "ssh_rerun", "timeout_seconds").contains(key) && !IGNORED_JOB_KEYS.contains(key)) {
                throw ProblemException.badRequest(where + "." + key + ": not supported");
            }
        }
        JsonNode steps = definition.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw ProblemException.badRequest(where + ".steps: at least one run step is required");
        }
        List<String> commands = new ArrayList<>();
        for (JsonNode step : steps) {
            JsonNode run = step.isObject() && step.size() == 1 ? step.get("run") : null;
            if (run == null) {
                String kind = step.isTextual() ? step.asText() : step.isObject() ? step.fieldNames().next() : "?";
                throw ProblemException.badRequest(where + ".steps: step '" + kind + "' is not supported, only run steps");
            }
            if (run.isTextual()) {
                commands.add(run.asText());
            } else if (run.isObject() && run.hasNonNull("command") && run.get("command").isTextual()) {
                commands.add(run.get("command").asText());
            } else {
                throw ProblemException.badRequest(where + ".steps: run takes a command string or {command: ...}");
            }
        }
        // like CircleCI's default shell (-e): a failing step ends the job
        return commands.size() == 1 ? commands.get(0) : "set -e\n" + String.join("\n", commands);
    }

    private static Integer timeout(String jobName, JsonNode value) {
        if (!value.canConvertToInt()) {
            throw ProblemException.badRequest("jobs." + jobName + ".timeout_seconds: must be an integer");
        }
        return value.asInt();
    }

    private static List<String> strings(JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (value.isArray()) {
            List<String> result = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw ProblemException.badRequest(where + ": must be a string or a list of strings");
                }
                result.add(item.asText());
            }
            return result;
        }
        throw ProblemException.badRequest(where + ": must be a string or a list of strings");
    }

    private static JsonNode object(JsonNode node, String where) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw ProblemException.badRequest(where + ": must be a non-empty mapping");
        }
        return node;
    }
}
