package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.pipeline.definition.PipelineDefinition.JobDefinition;
import dev.keyless.scheduler.pipeline.definition.PipelineDefinition.WorkflowDefinition;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.WorkflowRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a trigger completely before anything is written: names, sizes, refs, and that each workflow's
 * {@code requires} name jobs of that workflow without a cycle. Every problem found is reported at once.
 */
public final class PipelineValidator {

    public static final Set<String> TRIGGER_SOURCES = Set.of("push", "api", "fork_pull_request", "schedule");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final String NAME_RULE = "1-100 letters, digits or _.- starting with a letter or digit";
    /** A job may be named like CircleCI's {@code name: Generate Creds File and Authenticate}: spaces inside too. */
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_. -]{0,98}[A-Za-z0-9_.-])?");

    private static final String JOB_NAME_RULE =
            "1-100 letters, digits, spaces or _.- starting with a letter or digit " + "and not ending with a space";
    private static final Pattern REF_NAME = Pattern.compile("[A-Za-z0-9._/+-]{1,255}");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    private final Limits limits;

    public PipelineValidator(Limits limits) {
        this.limits = limits;
    }

    /** @throws ProblemException 400 listing every problem found */
    public PipelineDefinition validate(TriggerRequest request) {
        List<String> errors = new ArrayList<>();
        String ref = ref(request, errors);
        if (request.revision() == null || !REVISION.matcher(request.revision()).matches()) {
            errors.add("revision: required, 1-100 letters, digits or ._-");
        }
        String source = request.triggerSource() == null ? "api" : request.triggerSource();
        if (!TRIGGER_SOURCES.contains(source)) {
            errors.add("trigger_source: must be one of push, api, fork_pull_request, schedule");
        }
        if (request.userId() == null) {
            errors.add("user_id: required");
        }
        List<WorkflowDefinition> workflows = workflows(request.workflows(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(String.join("; ", errors));
        }
        return new PipelineDefinition(ref, request.revision(), source, request.userId(), workflows);
    }

    private static String ref(TriggerRequest request, List<String> errors) {
        long given = Stream.of(request.ref(), request.branch(), request.tag())
                .filter(Objects::nonNull)
                .count();
        if (given != 1) {
            errors.add("ref: give exactly one of ref, branch or tag");
            return null;
        }
        String full;
        if (request.branch() != null) {
            full = HEADS + request.branch();
        } else if (request.tag() != null) {
            full = TAGS + request.tag();
        } else if (request.ref().startsWith("refs/")) {
            full = request.ref();
        } else {
            full = HEADS + request.ref();
        }
        String shortName = full.startsWith(HEADS)
                ? full.substring(HEADS.length())
                : full.startsWith(TAGS) ? full.substring(TAGS.length()) : null;
        if (shortName == null) {
            errors.add("ref: must be a branch (refs/heads/...) or a tag (refs/tags/...)");
            return null;
        }
        if (!REF_NAME.matcher(shortName).matches()
                || shortName.contains("..")
                || shortName.startsWith("/")
                || shortName.endsWith("/")
                || shortName.contains("//")) {
            errors.add("ref: '" + shortName + "' is not a valid branch or tag name");
            return null;
        }
        return full;
    }

    private List<WorkflowDefinition> workflows(List<WorkflowRequest> requested, List<String> errors) {
        List<WorkflowDefinition> workflows = new ArrayList<>();
        if (requested == null || requested.isEmpty()) {
            errors.add("workflows: at least one workflow is required");
            return workflows;
        }
        if (requested.size() > limits.maxWorkflows()) {
            errors.add(
                    "workflows: at most " + limits.maxWorkflows() + " workflows are allowed, got " + requested.size());
            return workflows;
        }
        int totalJobs = requested.stream()
                .mapToInt(w -> w == null || w.jobs() == null ? 0 : w.jobs().size())
                .sum();
        if (totalJobs > limits.maxJobs()) {
            errors.add("workflows: at most " + limits.maxJobs() + " jobs per pipeline are allowed, got " + totalJobs);
            return workflows;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            WorkflowRequest workflow = requested.get(i);
            String where = "workflows[" + i + "]";
            if (workflow == null) {
                errors.add(where + ": must be an object");
                continue;
            }
            if (!validName(workflow.name())) {
                errors.add(where + ".name: must be " + NAME_RULE);
            } else if (!names.add(workflow.name())) {
                errors.add(where + ".name: duplicate workflow name '" + workflow.name() + "'");
            }
            workflows.add(new WorkflowDefinition(workflow.name(), jobs(where, workflow, errors)));
        }
        return workflows;
    }

    private List<JobDefinition> jobs(String where, WorkflowRequest workflow, List<String> errors) {
        List<JobDefinition> jobs = new ArrayList<>();
        if (workflow.jobs() == null || workflow.jobs().isEmpty()) {
            errors.add(where + ".jobs: at least one job is required");
            return jobs;
        }
        Set<String> names = new HashSet<>();
        for (int j = 0; j < workflow.jobs().size(); j++) {
            JobRequest job = workflow.jobs().get(j);
            String at = where + ".jobs[" + j + "]";
            if (job == null) {
                errors.add(at + ": must be an object");
                continue;
            }
            if (job.name() == null || !JOB_NAME.matcher(job.name()).matches()) {
                errors.add(at + ".name: must be " + JOB_NAME_RULE);
            } else if (!names.add(job.name())) {
                errors.add(at + ".name: duplicate job name '" + job.name() + "' in workflow '" + workflow.name() + "'");
            }
            jobs.add(job(at, job, errors));
        }
        requirements(where, workflow.name(), jobs, names, errors);
        return jobs;
    }

    private JobDefinition job(String at, JobRequest job, List<String> errors) {
        if (job.command() == null || job.command().isBlank()) {
            errors.add(at + ".command: required");
        } else if (job.command().length() > limits.maxCommandLength()) {
            errors.add(at + ".command: longer than " + limits.maxCommandLength() + " characters");
        }
        List<String> contexts = job.contexts() == null ? List.of() : job.contexts();
        if (contexts.size() > limits.maxContextsPerJob()) {
            errors.add(at + ".contexts: at most " + limits.maxContextsPerJob() + " contexts per job");
        }
        if (contexts.stream().anyMatch(c -> !validName(c))) {
            errors.add(at + ".contexts: every context name must be " + NAME_RULE);
        } else if (new HashSet<>(contexts).size() != contexts.size()) {
            errors.add(at + ".contexts: a context is named twice");
        }
        List<String> requires = job.requires() == null ? List.of() : job.requires();
        if (requires.stream().anyMatch(Objects::isNull)) {
            errors.add(at + ".requires: job names must not be null");
            requires = requires.stream().filter(Objects::nonNull).toList();
        }
        if (new HashSet<>(requires).size() != requires.size()) {
            errors.add(at + ".requires: a job is required twice");
        }
        int timeout = job.timeoutSeconds() == null ? limits.defaultTimeoutSeconds() : job.timeoutSeconds();
        if (timeout < 1 || timeout > limits.maxTimeoutSeconds()) {
            errors.add(at + ".timeout_seconds: must be between 1 and " + limits.maxTimeoutSeconds());
        }
        return new JobDefinition(
                job.name(),
                job.command(),
                List.copyOf(contexts),
                List.copyOf(requires),
                Boolean.TRUE.equals(job.sshRerun()),
                timeout,
                job.steps(),
                job.environment(),
                job.image());
    }

    /** Unknown or self requirements, then cycles (reported with the path that closes the cycle). */
    private static void requirements(
            String where, String workflow, List<JobDefinition> jobs, Set<String> names, List<String> errors) {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        boolean known = true;
        for (JobDefinition job : jobs) {
            for (String required : job.requires()) {
                if (required.equals(job.name())) {
                    errors.add(where + ": job '" + job.name() + "' requires itself");
                    known = false;
                } else if (!names.contains(required)) {
                    errors.add(where + ": job '" + job.name() + "' requires unknown job '" + required
                            + "' (not in workflow '" + workflow + "')");
                    known = false;
                }
            }
            graph.putIfAbsent(job.name(), job.requires());
        }
        if (known) {
            List<String> cycle = findCycle(graph);
            if (cycle != null) {
                errors.add(where + ": the requires of workflow '" + workflow + "' form a cycle: "
                        + String.join(" -> ", cycle));
            }
        }
    }

    /** Depth-first search; returns the first cycle found as a closed path, or null for a DAG. */
    static List<String> findCycle(Map<String, List<String>> requires) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : requires.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = visit(start, requires, state, path);
            if (cycle != null) {
                return cycle;
            }
        }
        return null;
    }

    private static List<String> visit(
            String job, Map<String, List<String>> requires, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(job);
        if (seen != null && seen == 2) {
            return null;
        }
        if (seen != null && seen == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(job), path.size()));
            cycle.add(job);
            return cycle;
        }
        state.put(job, 1);
        path.add(job);
        for (String next : requires.getOrDefault(job, List.of())) {
            List<String> cycle = visit(next, requires, state, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(job, 2);
        return null;
    }

    private static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
