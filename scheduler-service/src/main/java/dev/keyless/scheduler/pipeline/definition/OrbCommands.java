package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.pipeline.definition.ConfigYaml.Mapping;
import dev.keyless.scheduler.pipeline.definition.Parameters.Declaration;
import dev.keyless.scheduler.pipeline.definition.Parameters.Scope;
import dev.keyless.scheduler.pipeline.model.JobStep;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The orb commands Keyless runs without the orb's source: those that matter for OIDC map to built-ins.
 * {@code aws-cli/setup} runs {@code executor aws configure} with the orb's parameters; {@code install} of a known
 * orb checks that its tool is on the executor's PATH and says how to get it. Every other orb command is refused.
 */
final class OrbCommands {

    /** An {@code orbs:} entry: {@code alias: namespace/name@version}. */
    record Orb(String alias, String name, String version) {}

    /** The tool an orb's {@code install} command provides, and where to get it. */
    private record Tool(String command, String help) {}

    private static final Map<String, Tool> TOOLS = Map.of(
            "circleci/aws-cli",
                    new Tool("aws", "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"),
            "circleci/gcp-cli", new Tool("gcloud", "https://cloud.google.com/sdk/docs/install"),
            "circleci/kubernetes", new Tool("kubectl", "https://kubernetes.io/docs/tasks/tools/"),
            "circleci/terraform", new Tool("terraform", "https://developer.hashicorp.com/terraform/install"));

    /** The images of orb executors Keyless knows (the orb's own {@code executors/}); others are recorded as null. */
    private static final Map<String, String> EXECUTOR_IMAGES =
            Map.of("circleci/gcp-cli/default", "circleci/python:3.7-buster");

    private static final Pattern ORB_REFERENCE = Pattern.compile("([a-z0-9_-]+)/([a-z0-9_-]+)@([A-Za-z0-9.:_-]+)");
    /** What AWS refuses in a role session name ({@code RoleSessionName} is [\w+=,.@-]*). */
    private static final Pattern SESSION_NAME_OUTSIDE = Pattern.compile("[^A-Za-z0-9_+=,.@-]");

    private static final Map<String, Declaration> AWS_SETUP =
            declarations("role-arn", "aws-region", "profile-name", "role-session-name", "session-duration");

    private OrbCommands() {}

    static Orb orb(String alias, Node value, String path) {
        if (!ConfigYaml.isScalar(value)) {
            throw new ConfigError(
                    value, path, "an orb is imported as namespace/name@version; inline orbs are not supported");
        }
        String reference = ((ScalarNode) value).getValue();
        var matcher = ORB_REFERENCE.matcher(reference);
        if (!matcher.matches()) {
            throw new ConfigError(value, path, "'" + reference + "' is not an orb reference namespace/name@version");
        }
        return new Orb(alias, matcher.group(1) + "/" + matcher.group(2), matcher.group(3));
    }

    /** The image of an orb executor, null when Keyless does not know it (the reference executor runs on its host). */
    static String executorImage(Orb orb, String executor) {
        return EXECUTOR_IMAGES.get(orb.name() + "/" + executor);
    }

    /** The step an orb command becomes, or a {@link ConfigError} naming the orb, the command and the line. */
    static JobStep step(Orb orb, String command, Mapping arguments, Scope scope, Node at, String path) {
        String invoked = orb.alias() + "/" + command;
        if (command.equals("install") && TOOLS.containsKey(orb.name())) {
            return install(orb, invoked, arguments);
        }
        if (orb.name().equals("circleci/aws-cli") && command.equals("setup")) {
            return awsSetup(invoked, scope.invoke(invoked, AWS_SETUP, arguments, Set.of(), at, path), at, path);
        }
        throw new ConfigError(
                at,
                path,
                "orb command " + invoked + " (orb " + orb.name() + "@" + orb.version()
                        + ", command " + command
                        + ") is not supported: Keyless runs aws-cli/setup and the install command of "
                        + String.join(", ", TOOLS.keySet().stream().sorted().toList())
                        + "; write the orb's steps as run steps instead");
    }

    private static JobStep install(Orb orb, String invoked, Mapping arguments) {
        Tool tool = TOOLS.get(orb.name());
        String ignored = arguments == null || arguments.size() == 0
                ? ""
                : "echo "
                        + shellQuote(
                                invoked + ": " + String.join(", ", arguments.keys())
                                        + " concern(s) installing, which this executor does not do: the tool is checked, not installed")
                        + "\n";
        String missing = invoked + ": " + tool.command()
                + " is not on PATH. This executor checks for the tool instead of " + "installing it: install "
                + tool.command() + " on the executor's machine or image (" + tool.help() + ")";
        String script = ignored
                + "if ! command -v " + tool.command() + " >/dev/null 2>&1; then\n"
                + "  echo " + shellQuote(missing) + " >&2\n"
                + "  exit 127\n"
                + "fi\n"
                + "echo \"" + tool.command() + " found: $(command -v " + tool.command() + ")\"\n";
        return new JobStep(JobStep.RUN, invoked, script, null, null, null, null);
    }

    /** {@code executor aws configure}, its export lines appended to {@code $BASH_ENV} so later steps use the profile. */
    private static JobStep awsSetup(String invoked, Scope scope, Node at, String path) {
        Map<String, String> values = scope.values();
        String roleArn = values.get("role-arn");
        if (roleArn == null || roleArn.isBlank()) {
            throw new ConfigError(
                    at,
                    path,
                    invoked + " needs role-arn: without it the orb configures static keys, "
                            + "which Keyless never hands out");
        }
        StringBuilder script = new StringBuilder();
        StringBuilder command = new StringBuilder("executor aws configure --role-arn " + shellWord(roleArn));
        option(command, "--region", values.get("aws-region"));
        option(command, "--profile", values.get("profile-name"));
        String sessionName = values.get("role-session-name");
        if (sessionName != null && !sessionName.contains("$")) {
            String kept = SESSION_NAME_OUTSIDE.matcher(sessionName).replaceAll("");
            if (kept.length() < 2) {
                throw new ConfigError(
                        at,
                        path,
                        "role-session-name '" + sessionName
                                + "' keeps fewer than 2 of the characters AWS allows ([A-Za-z0-9_+=,.@-])");
            }
            if (!kept.equals(sessionName)) {
                script.append("echo ")
                        .append(shellQuote(invoked + ": role-session-name " + sessionName
                                + " has characters AWS does not allow in a session name; using " + kept))
                        .append(" >&2\n");
                sessionName = kept;
            }
        }
        option(command, "--session-name", sessionName);
        String duration = values.get("session-duration");
        if (duration != null && !duration.contains("$") && !duration.matches("[0-9]{1,6}")) {
            throw new ConfigError(at, path, "session-duration must be a number of seconds, got '" + duration + "'");
        }
        option(command, "--duration", duration);
        script.append(command).append(" >> \"$BASH_ENV\"\n");
        return new JobStep(JobStep.RUN, invoked, script.toString(), null, null, null, null);
    }

    private static void option(StringBuilder command, String option, String value) {
        if (value != null && !value.isEmpty()) {
            command.append(' ').append(option).append(' ').append(shellWord(value));
        }
    }

    /**
     * A value in double quotes: the orb expands environment variables in its parameters ({@code ${AWS_REGION}}),
     * so {@code $} stays live while quotes, backslashes and backticks are literal.
     */
    static String shellWord(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("`", "\\`") + "\"";
    }

    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Optional string parameters: what is not given is left to {@code executor aws configure}'s defaults. */
    private static Map<String, Declaration> declarations(String... names) {
        Map<String, Declaration> result = new LinkedHashMap<>();
        for (String name : names) {
            result.put(name, new Declaration(name, "string", List.of(), null, true));
        }
        return result;
    }
}
