package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.Problem;
import dev.keyless.problem.ProblemException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The YAML of a config as a node tree that remembers where each node is (SnakeYAML's composer), with typed
 * access that reports the path, line and column of a node of the wrong kind. Anchors and merge keys ({@code <<})
 * work as in CircleCI; aliases are bounded against expansion bombs.
 */
final class ConfigYaml {

    private static final Pattern BOOLEAN_TRUE = Pattern.compile("true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y");

    private ConfigYaml() {}

    /** The document's root node, or null for an empty document. */
    static Node compose(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(100);
        options.setNestingDepthLimit(50);
        try {
            return new Composer(
                            new ParserImpl(new StreamReader(new StringReader(yaml)), options), new Resolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
            Integer line = mark == null ? null : mark.getLine() + 1;
            Integer column = mark == null ? null : mark.getColumn() + 1;
            String where = line == null ? "" : " (line " + line + ", column " + column + ")";
            throw new ProblemException(
                    400,
                    Problem.title(400),
                    "the config is not valid YAML: " + problem + where,
                    List.of(new Problem.ProblemError(line, column, problem)),
                    Map.of());
        } catch (YAMLException e) {
            throw ProblemException.badRequest("the config is not valid YAML");
        }
    }

    static boolean isNull(Node node) {
        return node == null
                || node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    static boolean isScalar(Node node) {
        return node instanceof ScalarNode && !isNull(node);
    }

    static String scalar(Node node, String path) {
        if (!isScalar(node)) {
            throw new ConfigError(
                    node, path, "must be a " + (isNull(node) ? "value" : "single value, not a " + kind(node)));
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getTag().equals(Tag.BOOL)) {
            return BOOLEAN_TRUE.matcher(scalar.getValue()).matches() ? "true" : "false";
        }
        return scalar.getValue();
    }

    static List<Node> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            throw new ConfigError(node, path, "must be a list, not " + article(node));
        }
        return sequence.getValue();
    }

    /** A mapping node's entries by key, merge keys applied (the mapping's own keys win over merged ones). */
    static Mapping mapping(Node node, String path) {
        if (!(node instanceof MappingNode)) {
            throw new ConfigError(node, path, "must be a mapping, not " + article(node));
        }
        Mapping result = new Mapping(node, path);
        List<Node> merged = new ArrayList<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                if (tuple.getValueNode() instanceof SequenceNode list) {
                    merged.addAll(list.getValue());
                } else {
                    merged.add(tuple.getValueNode());
                }
                continue;
            }
            String key = scalar(tuple.getKeyNode(), path);
            result.keys.put(key, tuple.getKeyNode());
            result.values.put(key, tuple.getValueNode());
        }
        for (Node source : merged) {
            Mapping inherited = mapping(source, path + ".<<");
            inherited.values.forEach((key, value) -> {
                if (!result.values.containsKey(key)) {
                    result.keys.put(key, inherited.keys.get(key));
                    result.values.put(key, value);
                }
            });
        }
        return result;
    }

    static String kind(Node node) {
        if (isNull(node)) {
            return "null";
        }
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "value";
    }

    private static String article(Node node) {
        return isNull(node) ? "empty" : "a " + kind(node);
    }

    /** The entries of a mapping node in document order, each key's node kept for error positions. */
    static final class Mapping {

        private final Node node;
        private final String path;
        private final Map<String, Node> keys = new LinkedHashMap<>();
        private final Map<String, Node> values = new LinkedHashMap<>();

        private Mapping(Node node, String path) {
            this.node = node;
            this.path = path;
        }

        Node node() {
            return node;
        }

        String path() {
            return path;
        }

        /** The path of a key under this mapping. */
        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Set<String> keys() {
            return values.keySet();
        }

        boolean has(String key) {
            return values.containsKey(key) && !isNull(values.get(key));
        }

        Node get(String key) {
            return values.get(key);
        }

        Node keyNode(String key) {
            return keys.get(key);
        }

        int size() {
            return values.size();
        }

        /** Every key not in {@code allowed} is an error at that key, naming what is accepted there. */
        void allowOnly(Collection<String> allowed, String accepted, List<ConfigError> errors) {
            for (String key : values.keySet()) {
                if (!allowed.contains(key)) {
                    errors.add(new ConfigError(
                            keys.get(key), path(key), "'" + key + "' is not supported here (" + accepted + ")"));
                }
            }
        }
    }
}
