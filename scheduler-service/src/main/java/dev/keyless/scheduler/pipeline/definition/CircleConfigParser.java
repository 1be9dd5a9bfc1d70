package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.Problem;
import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.pipeline.definition.ConfigYaml.Mapping;
import dev.keyless.scheduler.pipeline.definition.OrbCommands.Orb;
import dev.keyless.scheduler.pipeline.definition.Parameters.Declaration;
import dev.keyless.scheduler.pipeline.definition.Parameters.Scope;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.WorkflowRequest;
import dev.keyless.scheduler.pipeline.model.JobStep;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads a CircleCI 2.1 config (CircleCI configuration reference, https://circleci.com/docs/configuration-reference/):
 * {@code version}, {@code orbs}, {@code commands}, {@code executors}, {@code jobs} and {@code workflows}. Commands and
 * the orb commands Keyless maps ({@link OrbCommands}) are expanded with their parameters into {@code run} and
 * {@code checkout} steps; workflow {@code filters} are applied to the trigger's ref. Anything that would change what
 * runs and is not supported is refused, never dropped: every problem is reported at once, each with its path in the
 * document, line and column.
 */
public final class CircleConfigParser {

    static final int MAX_STEPS_PER_JOB = 200;
    /** Commands invoking commands: deeper than this is a loop in practice. */
    private static final int MAX_NESTING = 10;

    private static final Set<String> TOP_KEYS = Set.of("version", "orbs", "commands", "executors", "jobs", "workflows");
    private static final String TOP_ACCEPTED = "version, orbs, commands, executors, jobs, workflows";
    private static final Set<String> JOB_KEYS = Set.of(
            "docker",
            "machine",
            "macos",
            "resource_class",
            "working_directory",
            "parallelism",
            "executor",
            "shell",
            "description",
            "environment",
            "parameters",
            "steps",
            "ssh_rerun",
            "timeout_seconds");
    private static final Set<String> EXECUTOR_KEYS = Set.of(
            "docker", "machine", "macos", "resource_class", "working_directory", "shell", "environment", "description");
    private static final Set<String> RUN_KEYS =
            Set.of("name", "command", "environment", "shell", "working_directory", "when");
    private static final Set<String> ENTRY_KEYS = Set.of("name", "context", "requires", "filters");
    private static final Set<String> WHEN = Set.of("on_success", "on_fail", "always");
    private static final Set<String> BUILT_IN_STEPS = Set.of(
            "setup_remote_docker",
            "save_cache",
            "restore_cache",
            "store_artifacts",
            "store_test_results",
            "persist_to_workspace",
            "attach_workspace",
            "add_ssh_keys",
            "deploy",
            "when",
            "unless");
    private static final Pattern ENV_NAME = Parameters.ENV_VAR_NAME;

    private final List<ConfigError> errors = new ArrayList<>();
    private final Map<String, Orb> orbs = new LinkedHashMap<>();
    private final Map<String, Mapping> commands = new LinkedHashMap<>();
    private final Map<String, Map<String, Declaration>> commandParameters = new LinkedHashMap<>();
    private final Map<String, Mapping> executors = new LinkedHashMap<>();
    private final Map<String, Mapping> jobs = new LinkedHashMap<>();
    private final Map<String, Map<String, Declaration>> jobParameters = new LinkedHashMap<>();
    private final RefFilter ref;
    private final Scope root;

    private CircleConfigParser(RefFilter ref, Map<String, String> pipelineValues) {
        this.ref = ref;
        this.root = Scope.root(pipelineValues);
    }

    /** The trigger's VCS data and user come from query parameters; the workflows from the config. */
    public static TriggerRequest parse(
            String yaml, String ref, String branch, String tag, String revision, String triggerSource, UUID userId) {
        Node document = ConfigYaml.compose(yaml);
        if (!(document instanceof MappingNode)) {
            throw ProblemException.badRequest("the config must be a YAML mapping with jobs and workflows");
        }
        RefFilter filter = RefFilter.of(ref, branch, tag);
        Map<String, String> pipelineValues = new LinkedHashMap<>();
        pipelineValues.put("git.revision", revision == null ? "" : revision);
        pipelineValues.put("git.branch", filter.branch() == null ? "" : filter.branch());
        pipelineValues.put("git.tag", filter.tag() == null ? "" : filter.tag());
        pipelineValues.put("trigger_source", triggerSource == null ? "api" : triggerSource);
        CircleConfigParser parser = new CircleConfigParser(filter, pipelineValues);
        List<WorkflowRequest> workflows = parser.read(ConfigYaml.mapping(document, ""));
        if (!parser.errors.isEmpty()) {
            // a job used by two workflow entries is read twice: report each problem once
            Map<String, ConfigError> distinct = new LinkedHashMap<>();
            parser.errors.forEach(error -> distinct.putIfAbsent(error.describe(), error));
            List<ConfigError> all = List.copyOf(distinct.values());
            List<ConfigError> shown = all.subList(0, Math.min(all.size(), 50));
            String detail =
                    String.join("; ", shown.stream().map(ConfigError::describe).toList())
                            + (all.size() > shown.size() ? "; and " + (all.size() - shown.size()) + " more" : "");
            List<Problem.ProblemError> located =
                    shown.stream().map(ConfigError::toProblemError).toList();
            throw new ProblemException(400, Problem.title(400), detail, located, Map.of());
        }
        return new TriggerRequest(ref, branch, tag, revision, triggerSource, userId, workflows);
    }

    private List<WorkflowRequest> read(Mapping top) {
        for (String key : top.keys()) {
            if (!TOP_KEYS.contains(key)) {
                errors.add(new ConfigError(
                        top.keyNode(key), key, "config key '" + key + "' is not supported (" + TOP_ACCEPTED + ")"));
            }
        }
        if (top.has("version")) {
            String version = attempt(() -> ConfigYaml.scalar(top.get("version"), "version"));
            if (version != null && !version.equals("2.1")) {
                errors.add(new ConfigError(
                        top.get("version"), "version", "only 2.1 configs are supported, got " + version));
            }
        }
        if (top.has("orbs")) {
            each(top.get("orbs"), "orbs", (alias, value, path) -> orbs.put(alias, OrbCommands.orb(alias, value, path)));
        }
        if (top.has("executors")) {
            each(top.get("executors"), "executors", (name, value, path) -> {
                Mapping executor = ConfigYaml.mapping(value, path);
                executor.allowOnly(
                        EXECUTOR_KEYS,
                        "docker, machine, macos, resource_class, working_directory, shell, "
                                + "environment, description; executor parameters are not supported",
                        errors);
                executors.put(name, executor);
            });
        }
        if (top.has("commands")) {
            each(top.get("commands"), "commands", (name, value, path) -> {
                Mapping command = ConfigYaml.mapping(value, path);
                command.allowOnly(
                        List.of("description", "parameters", "steps"), "description, parameters, steps", errors);
                if (!command.has("steps")) {
                    throw new ConfigError(value, path, "a command needs steps");
                }
                commandParameters.put(
                        name, Parameters.declarations(command.get("parameters"), path + ".parameters", errors));
                commands.put(name, command);
            });
        }
        if (!top.has("jobs")) {
            errors.add(new ConfigError(top.node(), "jobs", "must be a non-empty mapping"));
        } else {
            each(top.get("jobs"), "jobs", (name, value, path) -> {
                Mapping job = ConfigYaml.mapping(value, path);
                job.allowOnly(
                        JOB_KEYS, String.join(", ", JOB_KEYS.stream().sorted().toList()), errors);
                jobParameters.put(name, Parameters.declarations(job.get("parameters"), path + ".parameters", errors));
                jobs.put(name, job);
            });
        }
        List<WorkflowRequest> result = new ArrayList<>();
        if (!top.has("workflows")) {
            errors.add(new ConfigError(top.node(), "workflows", "must be a non-empty mapping"));
            return result;
        }
        each(top.get("workflows"), "workflows", (name, value, path) -> {
            if (name.equals("version")) {
                return;
            }
            WorkflowRequest workflow = workflow(name, value, path);
            if (workflow != null && !workflow.jobs().isEmpty()) {
                result.add(workflow);
            }
        });
        if (result.isEmpty() && errors.isEmpty()) {
            errors.add(new ConfigError(
                    top.get("workflows"),
                    "workflows",
                    "no job of any workflow runs for " + ref.describe() + ": the filters leave none"));
        }
        return result;
    }

    private WorkflowRequest workflow(String name, Node value, String path) {
        Mapping workflow = ConfigYaml.mapping(value, path);
        workflow.allowOnly(List.of("jobs"), "jobs; when, unless and triggers are not supported", errors);
        if (!workflow.has("jobs")) {
            throw new ConfigError(value, path, "a workflow needs jobs");
        }
        List<JobRequest> kept = new ArrayList<>();
        Set<String> filteredOut = new HashSet<>();
        List<Node> entries = ConfigYaml.sequence(workflow.get("jobs"), path + ".jobs");
        for (int i = 0; i < entries.size(); i++) {
            String at = path + ".jobs[" + i + "]";
            Node entry = entries.get(i);
            attempt(() -> {
                JobRequest job = entry(entry, at, filteredOut);
                if (job != null) {
                    kept.add(job);
                }
                return null;
            });
        }
        // like CircleCI, a job whose required job is filtered out does not run either
        boolean dropped = true;
        while (dropped) {
            dropped = kept.removeIf(job -> {
                boolean drop = job.requires().stream().anyMatch(filteredOut::contains);
                if (drop) {
                    filteredOut.add(job.name());
                }
                return drop;
            });
        }
        return new WorkflowRequest(name, kept);
    }

    /** One entry of a workflow's jobs; null when its filters leave it out for this ref. */
    private JobRequest entry(Node entry, String at, Set<String> filteredOut) {
        String jobName;
        Mapping arguments = null;
        if (ConfigYaml.isScalar(entry)) {
            jobName = ConfigYaml.scalar(entry, at);
        } else {
            Mapping single = ConfigYaml.mapping(entry, at);
            if (single.size() != 1) {
                throw new ConfigError(
                        entry, at, "each entry is a job name or {job-name: {name, context, requires, filters}}");
            }
            jobName = single.keys().iterator().next();
            Node value = single.get(jobName);
            if (!ConfigYaml.isNull(value)) {
                arguments = ConfigYaml.mapping(value, at + "." + jobName);
            }
        }
        String where = at + "." + jobName;
        Mapping definition = jobs.get(jobName);
        if (definition == null) {
            if (jobName.contains("/") && orbs.containsKey(jobName.substring(0, jobName.indexOf('/')))) {
                throw new ConfigError(
                        entry,
                        at,
                        "orb job '" + jobName + "' is not supported: define the job under "
                                + "jobs with the orb's commands as steps");
            }
            throw new ConfigError(entry, at, "job '" + jobName + "' is not defined under jobs");
        }
        List<String> contexts = List.of();
        List<String> requires = List.of();
        String alias = jobName;
        if (arguments != null) {
            Map<String, Declaration> declared = jobParameters.getOrDefault(jobName, Map.of());
            for (String key : arguments.keys()) {
                if (!ENTRY_KEYS.contains(key) && !declared.containsKey(key)) {
                    errors.add(new ConfigError(
                            arguments.keyNode(key),
                            arguments.path(key),
                            "'" + key
                                    + "' is not supported here (name, context, requires, filters"
                                    + (declared.isEmpty()
                                            ? ""
                                            : ", or a parameter of job " + jobName + ": "
                                                    + String.join(", ", declared.keySet()))
                                    + ")"));
                }
            }
            contexts = strings(arguments.get("context"), arguments.path("context"));
            requires = strings(arguments.get("requires"), arguments.path("requires"));
            if (arguments.has("name")) {
                alias = root.text(arguments.get("name"), arguments.path("name"));
            }
        }
        boolean runs = ref.admits(
                arguments == null || !arguments.has("filters")
                        ? null
                        : ConfigYaml.mapping(arguments.get("filters"), arguments.path("filters")),
                errors);
        if (!runs) {
            filteredOut.add(alias);
            return null;
        }
        Scope scope = root.invoke(
                "job " + jobName, jobParameters.getOrDefault(jobName, Map.of()), arguments, ENTRY_KEYS, entry, where);
        return job(alias, jobName, definition, scope, contexts, requires);
    }

    private JobRequest job(
            String alias,
            String jobName,
            Mapping definition,
            Scope scope,
            List<String> contexts,
            List<String> requires) {
        String path = "jobs." + jobName;
        Map<String, String> environment = new LinkedHashMap<>();
        String image = null;
        String shell = null;
        Mapping placement = definition;
        if (definition.has("executor")) {
            if (definition.has("docker")) {
                errors.add(new ConfigError(
                        definition.keyNode("docker"),
                        path + ".docker",
                        "a job names an executor or docker images, not both"));
            }
            Node executor = definition.get("executor");
            String name = ConfigYaml.isScalar(executor) ? scope.text(executor, path + ".executor") : null;
            if (name == null) {
                Mapping named = ConfigYaml.mapping(executor, path + ".executor");
                named.allowOnly(List.of("name"), "name; executor parameters are not supported", errors);
                name = scope.text(named.get("name"), path + ".executor.name");
            }
            if (executors.containsKey(name)) {
                placement = executors.get(name);
            } else if (name.contains("/") && orbs.containsKey(name.substring(0, name.indexOf('/')))) {
                Orb orb = orbs.get(name.substring(0, name.indexOf('/')));
                image = OrbCommands.executorImage(orb, name.substring(name.indexOf('/') + 1));
                placement = null;
            } else {
                throw new ConfigError(
                        executor,
                        path + ".executor",
                        "executor '" + name + "' is neither under executors nor an executor of an imported orb");
            }
        }
        if (placement != null) {
            String where = placement == definition ? path : placement.path();
            if (placement.has("docker")) {
                List<Node> images = ConfigYaml.sequence(placement.get("docker"), where + ".docker");
                for (int i = 0; i < images.size(); i++) {
                    Mapping container = ConfigYaml.mapping(images.get(i), where + ".docker[" + i + "]");
                    if (i > 0) {
                        errors.add(new ConfigError(
                                images.get(i),
                                where + ".docker[" + i + "]",
                                "service containers "
                                        + "(a second image) are not supported: the job runs in its first image only"));
                        continue;
                    }
                    container.allowOnly(List.of("image", "environment"), "image, environment", errors);
                    if (!container.has("image")) {
                        throw new ConfigError(images.get(i), where + ".docker[0]", "image is required");
                    }
                    image = scope.text(container.get("image"), where + ".docker[0].image");
                    environment.putAll(
                            environment(container.get("environment"), scope, where + ".docker[0].environment"));
                }
            }
            if (placement != definition) {
                environment.putAll(environment(placement.get("environment"), scope, where + ".environment"));
                if (placement.has("shell")) {
                    shell = scope.text(placement.get("shell"), where + ".shell");
                }
            }
        }
        environment.putAll(environment(definition.get("environment"), scope, path + ".environment"));
        if (definition.has("shell")) {
            shell = scope.text(definition.get("shell"), path + ".shell");
        }
        if (!definition.has("steps")) {
            throw new ConfigError(definition.node(), path + ".steps", "a job needs at least one step");
        }
        List<JobStep> steps = new ArrayList<>();
        int known = errors.size();
        steps(definition.get("steps"), scope, path + ".steps", 0, shell, steps);
        if (steps.isEmpty() && errors.size() == known) {
            throw new ConfigError(definition.get("steps"), path + ".steps", "a job needs at least one step");
        }
        return new JobRequest(
                alias,
                LegacyScript.of(steps, environment),
                contexts,
                requires,
                definition.has("ssh_rerun") ? bool(definition.get("ssh_rerun"), path + ".ssh_rerun") : null,
                definition.has("timeout_seconds")
                        ? integer(definition.get("timeout_seconds"), path + ".timeout_seconds")
                        : null,
                List.copyOf(steps),
                Map.copyOf(environment),
                image);
    }

    private void steps(Node node, Scope scope, String path, int depth, String shell, List<JobStep> out) {
        List<Node> list = ConfigYaml.sequence(node, path);
        for (int i = 0; i < list.size(); i++) {
            String at = path + "[" + i + "]";
            Node step = list.get(i);
            attempt(() -> {
                step(step, scope, at, depth, shell, out);
                return null;
            });
            if (out.size() > MAX_STEPS_PER_JOB) {
                throw new ConfigError(
                        step, at, "a job has at most " + MAX_STEPS_PER_JOB + " steps once commands are expanded");
            }
        }
    }

    private void step(Node step, Scope scope, String at, int depth, String shell, List<JobStep> out) {
        String name;
        Node value = null;
        if (ConfigYaml.isScalar(step)) {
            name = ConfigYaml.scalar(step, at);
        } else {
            Mapping single = ConfigYaml.mapping(step, at);
            if (single.size() != 1) {
                throw new ConfigError(
                        step, at, "a step is a name or a mapping with one key (run, checkout, a command)");
            }
            name = single.keys().iterator().next();
            value = single.get(name);
        }
        if (name.equals("run")) {
            out.add(run(value, step, scope, at + ".run", shell));
        } else if (name.equals("checkout")) {
            if (!ConfigYaml.isNull(value)) {
                ConfigYaml.mapping(value, at + ".checkout")
                        .allowOnly(List.of(), "checkout takes no options here", errors);
            }
            out.add(JobStep.checkout());
        } else if (BUILT_IN_STEPS.contains(name)) {
            throw new ConfigError(
                    step,
                    at,
                    "step '" + name + "' is not supported (run, checkout, commands, "
                            + "aws-cli/setup and orb install commands)");
        } else if (name.contains("/")) {
            String alias = name.substring(0, name.indexOf('/'));
            Orb orb = orbs.get(alias);
            if (orb == null) {
                throw new ConfigError(
                        step, at, "step '" + name + "' names orb '" + alias + "', which orbs does not import");
            }
            Mapping arguments = ConfigYaml.isNull(value) ? null : ConfigYaml.mapping(value, at + "." + name);
            out.add(OrbCommands.step(orb, name.substring(name.indexOf('/') + 1), arguments, scope, step, at));
        } else if (commands.containsKey(name)) {
            if (depth >= MAX_NESTING) {
                throw new ConfigError(
                        step, at, "commands nest deeper than " + MAX_NESTING + " (a command invoking itself?)");
            }
            Mapping arguments = ConfigYaml.isNull(value) ? null : ConfigYaml.mapping(value, at + "." + name);
            Scope inner = scope.invoke("command " + name, commandParameters.get(name), arguments, Set.of(), step, at);
            steps(commands.get(name).get("steps"), inner, "commands." + name + ".steps", depth + 1, shell, out);
        } else {
            throw new ConfigError(
                    step,
                    at,
                    "step '" + name + "' is neither run, checkout, a command under commands " + "nor an orb command");
        }
    }

    private JobStep run(Node value, Node step, Scope scope, String path, String shell) {
        if (ConfigYaml.isScalar(value)) {
            String command = scope.text(value, path);
            return new JobStep(JobStep.RUN, defaultName(command), command, null, shell, null, null);
        }
        if (ConfigYaml.isNull(value)) {
            throw new ConfigError(step, path, "run takes a command or a mapping with command");
        }
        Mapping run = ConfigYaml.mapping(value, path);
        run.allowOnly(RUN_KEYS, "name, command, environment, shell, working_directory, when", errors);
        if (!run.has("command")) {
            throw new ConfigError(value, path, "command is required");
        }
        String command = scope.text(run.get("command"), run.path("command"));
        String name = run.has("name") ? scope.text(run.get("name"), run.path("name")) : defaultName(command);
        Map<String, String> environment = environment(run.get("environment"), scope, run.path("environment"));
        String when = run.has("when") ? scope.text(run.get("when"), run.path("when")) : null;
        if (when != null && !WHEN.contains(when)) {
            throw new ConfigError(
                    run.get("when"), run.path("when"), "when is on_success, on_fail or always, got '" + when + "'");
        }
        return new JobStep(
                JobStep.RUN,
                name,
                command,
                environment.isEmpty() ? null : Map.copyOf(environment),
                run.has("shell") ? scope.text(run.get("shell"), run.path("shell")) : shell,
                run.has("working_directory")
                        ? scope.text(run.get("working_directory"), run.path("working_directory"))
                        : null,
                when);
    }

    /** CircleCI shows a step without a name by its command; its first line keeps a report readable. */
    private static String defaultName(String command) {
        String first = command.strip().lines().findFirst().orElse("run");
        return first.length() > 100 ? first.substring(0, 100) : first;
    }

    private Map<String, String> environment(Node node, Scope scope, String path) {
        Map<String, String> result = new LinkedHashMap<>();
        if (ConfigYaml.isNull(node)) {
            return result;
        }
        Mapping variables = ConfigYaml.mapping(node, path);
        for (String name : variables.keys()) {
            if (!ENV_NAME.matcher(name).matches()) {
                errors.add(
                        new ConfigError(
                                variables.keyNode(name),
                                variables.path(name),
                                "'" + name
                                        + "' is not an environment variable name (letters, digits and _, not starting with a digit)"));
                continue;
            }
            Node value = variables.get(name);
            result.put(name, ConfigYaml.isNull(value) ? "" : scope.text(value, variables.path(name)));
        }
        return result;
    }

    private static List<String> strings(Node value, String path) {
        if (ConfigYaml.isNull(value)) {
            return List.of();
        }
        if (ConfigYaml.isScalar(value)) {
            return List.of(ConfigYaml.scalar(value, path));
        }
        List<String> result = new ArrayList<>();
        for (Node item : ConfigYaml.sequence(value, path)) {
            result.add(ConfigYaml.scalar(item, path));
        }
        return result;
    }

    private static Boolean bool(Node node, String path) {
        String value = ConfigYaml.scalar(node, path);
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigError(node, path, "must be true or false");
        }
        return Boolean.valueOf(value);
    }

    private static Integer integer(Node node, String path) {
        String value = ConfigYaml.scalar(node, path);
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new ConfigError(node, path, "must be an integer");
        }
    }

    /** Visits each entry of a mapping; a problem with one entry is recorded and the others are still read. */
    private void each(Node node, String path, EntryReader reader) {
        Mapping mapping;
        try {
            mapping = ConfigYaml.mapping(node, path);
        } catch (ConfigError e) {
            errors.add(e);
            return;
        }
        if (mapping.size() == 0) {
            errors.add(new ConfigError(node, path, "must be a non-empty mapping"));
        }
        for (String key : mapping.keys()) {
            attempt(() -> {
                reader.read(key, mapping.get(key), mapping.path(key));
                return null;
            });
        }
    }

    private <T> T attempt(Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigError e) {
            errors.add(e);
            return null;
        }
    }

    @FunctionalInterface
    private interface EntryReader {
        void read(String key, Node value, String path);
    }
}
