package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.pipeline.definition.ConfigYaml.Mapping;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameters of a command or job (CircleCI configuration reference, "parameters" and "Parameter syntax"):
 * declarations with a {@code type} of {@code string}, {@code boolean}, {@code integer}, {@code enum} or
 * {@code env_var_name} and an optional {@code default}; the values of one invocation; and the expansion of
 * {@code << parameters.NAME >>} and the pipeline values {@code << pipeline.git.revision >>}, ... in every string.
 */
final class Parameters {

    static final Set<String> TYPES = Set.of("string", "boolean", "integer", "enum", "env_var_name");
    /** env_var_name: "a valid environment variable name" (POSIX: letters, digits, underscore, not a digit first). */
    static final Pattern ENV_VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern REFERENCE = Pattern.compile("<<\\s*(parameters|pipeline)\\.([A-Za-z0-9_.-]+)\\s*>>");

    /**
     * One declared parameter.
     *
     * @param optional without a default, may be left out (Keyless' own orb mappings); a config's parameter
     *                 without a default must be given
     */
    record Declaration(String name, String type, List<String> allowed, Node defaultValue, boolean optional) {}

    /** Reads a {@code parameters:} block of declarations. */
    static Map<String, Declaration> declarations(Node node, String path, List<ConfigError> errors) {
        Map<String, Declaration> result = new LinkedHashMap<>();
        if (ConfigYaml.isNull(node)) {
            return result;
        }
        Mapping declared = ConfigYaml.mapping(node, path);
        for (String name : declared.keys()) {
            String at = declared.path(name);
            try {
                Mapping declaration = ConfigYaml.mapping(declared.get(name), at);
                declaration.allowOnly(
                        List.of("type", "default", "description", "enum"), "type, default, description, enum", errors);
                if (!declaration.has("type")) {
                    throw new ConfigError(declared.keyNode(name), at, "a parameter needs a type (" + typeList() + ")");
                }
                String type = ConfigYaml.scalar(declaration.get("type"), at + ".type");
                if (!TYPES.contains(type)) {
                    throw new ConfigError(
                            declaration.get("type"),
                            at + ".type",
                            "parameter type '" + type + "' is not supported (" + typeList() + ")");
                }
                List<String> allowed = List.of();
                if (type.equals("enum")) {
                    if (!declaration.has("enum")) {
                        throw new ConfigError(
                                declared.keyNode(name), at, "an enum parameter lists its values under enum");
                    }
                    allowed = new ArrayList<>();
                    for (Node value : ConfigYaml.sequence(declaration.get("enum"), at + ".enum")) {
                        allowed.add(ConfigYaml.scalar(value, at + ".enum"));
                    }
                } else if (declaration.has("enum")) {
                    errors.add(new ConfigError(
                            declaration.keyNode("enum"), at + ".enum", "only an enum parameter lists values"));
                }
                Declaration parsed =
                        new Declaration(name, type, List.copyOf(allowed), declaration.get("default"), false);
                if (!ConfigYaml.isNull(parsed.defaultValue())) {
                    check(
                            parsed,
                            ConfigYaml.scalar(parsed.defaultValue(), at + ".default"),
                            parsed.defaultValue(),
                            at + ".default");
                }
                result.put(name, parsed);
            } catch (ConfigError e) {
                errors.add(e);
            }
        }
        return result;
    }

    private static String typeList() {
        return "string, boolean, integer, enum, env_var_name";
    }

    /** The values of one invocation, in the scope of its caller; then the names its body may reference. */
    static final class Scope {

        private final Map<String, String> values;
        private final Map<String, String> pipeline;
        private final String owner;

        private Scope(Map<String, String> values, Map<String, String> pipeline, String owner) {
            this.values = values;
            this.pipeline = pipeline;
            this.owner = owner;
        }

        /** The top scope: no parameters, only pipeline values. */
        static Scope root(Map<String, String> pipeline) {
            return new Scope(Map.of(), pipeline, "the config");
        }

        /**
         * The scope of an invocation of {@code owner} with {@code arguments} (keys not in {@code reserved} are
         * arguments), each argument's text expanded in this (the caller's) scope, then type-checked.
         */
        Scope invoke(
                String owner,
                Map<String, Declaration> declarations,
                Mapping arguments,
                Set<String> reserved,
                Node at,
                String path) {
            Map<String, String> result = new LinkedHashMap<>();
            if (arguments != null) {
                for (String name : arguments.keys()) {
                    if (reserved.contains(name)) {
                        continue;
                    }
                    Declaration declaration = declarations.get(name);
                    if (declaration == null) {
                        throw new ConfigError(
                                arguments.keyNode(name),
                                arguments.path(name),
                                "'" + name
                                        + "' is not a parameter of " + owner
                                        + (declarations.isEmpty()
                                                ? " (it declares none)"
                                                : " (parameters: " + String.join(", ", declarations.keySet()) + ")"));
                    }
                    Node node = arguments.get(name);
                    String text = expand(ConfigYaml.scalar(node, arguments.path(name)), node, arguments.path(name));
                    result.put(name, check(declaration, text, node, arguments.path(name)));
                }
            }
            for (Declaration declaration : declarations.values()) {
                if (result.containsKey(declaration.name())) {
                    continue;
                }
                if (ConfigYaml.isNull(declaration.defaultValue())) {
                    if (declaration.optional()) {
                        continue;
                    }
                    throw new ConfigError(
                            at,
                            path,
                            "parameter '" + declaration.name() + "' of " + owner + " has no default and is not given");
                }
                result.put(
                        declaration.name(),
                        check(
                                declaration,
                                ConfigYaml.scalar(declaration.defaultValue(), path),
                                declaration.defaultValue(),
                                path));
            }
            return new Scope(result, pipeline, owner);
        }

        Map<String, String> values() {
            return values;
        }

        /** Replaces every {@code << parameters.NAME >>} and {@code << pipeline.X >>} of {@code text}. */
        String expand(String text, Node node, String path) {
            if (text == null || !text.contains("<<")) {
                return text;
            }
            Matcher matcher = REFERENCE.matcher(text);
            StringBuilder result = new StringBuilder();
            while (matcher.find()) {
                String name = matcher.group(2);
                String value;
                if (matcher.group(1).equals("parameters")) {
                    value = values.get(name);
                    if (value == null) {
                        throw new ConfigError(
                                node,
                                path,
                                "<< parameters." + name + " >> is not a parameter of " + owner
                                        + (values.isEmpty()
                                                ? " (it declares none)"
                                                : " (parameters: " + String.join(", ", values.keySet()) + ")"));
                    }
                } else {
                    value = pipeline.get(name);
                    if (value == null) {
                        throw new ConfigError(
                                node,
                                path,
                                "<< pipeline." + name + " >> is not a pipeline value Keyless "
                                        + "sets ("
                                        + String.join(
                                                ", ",
                                                pipeline.keySet().stream()
                                                        .map(k -> "pipeline." + k)
                                                        .toList())
                                        + ")");
                    }
                }
                matcher.appendReplacement(result, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(result);
            return result.toString();
        }

        /** A scalar of the config read in this scope. */
        String text(Node node, String path) {
            return expand(ConfigYaml.scalar(node, path), node, path);
        }
    }

    /** The value as the parameter's type renders it, or an error naming the type's rule. */
    static String check(Declaration declaration, String value, Node node, String path) {
        switch (declaration.type()) {
            case "boolean" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new ConfigError(
                            node, path, "parameter '" + declaration.name() + "' is a boolean, got '" + value + "'");
                }
                return value;
            }
            case "integer" -> {
                if (!INTEGER.matcher(value).matches()) {
                    throw new ConfigError(
                            node, path, "parameter '" + declaration.name() + "' is an integer, got '" + value + "'");
                }
                return value.startsWith("+") ? value.substring(1) : value;
            }
            case "enum" -> {
                if (!declaration.allowed().contains(value)) {
                    throw new ConfigError(
                            node,
                            path,
                            "parameter '" + declaration.name() + "' is one of " + declaration.allowed() + ", got '"
                                    + value + "'");
                }
                return value;
            }
            case "env_var_name" -> {
                if (!ENV_VAR_NAME.matcher(value).matches()) {
                    throw new ConfigError(
                            node,
                            path,
                            "parameter '" + declaration.name()
                                    + "' is an env_var_name: letters, digits and _, not starting with a digit, got '"
                                    + value + "'");
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }
}
