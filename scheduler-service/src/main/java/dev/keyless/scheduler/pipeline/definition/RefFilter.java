package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.pipeline.definition.ConfigYaml.Mapping;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A workflow job's {@code filters} against the trigger's ref (CircleCI configuration reference, "filters",
 * "branches", "tags"): {@code only} and {@code ignore} take a string or a list, each an exact name or a
 * {@code /regular expression/} that must match the whole name; {@code only} is considered before {@code ignore}.
 * A branch trigger is judged by {@code branches} alone; a tag trigger runs a job only when the job has a
 * {@code tags} filter that admits the tag ("CircleCI does not run workflows for tags unless you explicitly specify
 * tag filters").
 */
record RefFilter(String branch, String tag) {

    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    static RefFilter of(String ref, String branch, String tag) {
        if (branch != null) {
            return new RefFilter(branch, null);
        }
        if (tag != null) {
            return new RefFilter(null, tag);
        }
        if (ref != null && ref.startsWith(TAGS)) {
            return new RefFilter(null, ref.substring(TAGS.length()));
        }
        if (ref != null && ref.startsWith(HEADS)) {
            return new RefFilter(ref.substring(HEADS.length()), null);
        }
        return new RefFilter(ref, null);
    }

    String describe() {
        return tag != null ? "tag " + tag : "branch " + branch;
    }

    /** Whether the job runs for this ref, {@code filters} null when it has none; malformed ones go to {@code errors}. */
    boolean admits(Mapping filters, List<ConfigError> errors) {
        if (filters == null) {
            return tag == null;
        }
        filters.allowOnly(List.of("branches", "tags"), "branches, tags", errors);
        if (tag != null) {
            return filters.has("tags")
                    && admits(tag, ConfigYaml.mapping(filters.get("tags"), filters.path("tags")), errors);
        }
        if (branch == null || !filters.has("branches")) {
            return true;
        }
        return admits(branch, ConfigYaml.mapping(filters.get("branches"), filters.path("branches")), errors);
    }

    private static boolean admits(String name, Mapping filter, List<ConfigError> errors) {
        filter.allowOnly(List.of("only", "ignore"), "only, ignore", errors);
        if (filter.has("only") && !matches(name, filter.get("only"), filter.path("only"))) {
            return false;
        }
        return !filter.has("ignore") || !matches(name, filter.get("ignore"), filter.path("ignore"));
    }

    private static boolean matches(String name, Node patterns, String path) {
        List<Node> items = new ArrayList<>();
        if (ConfigYaml.isScalar(patterns)) {
            items.add(patterns);
        } else {
            items.addAll(ConfigYaml.sequence(patterns, path));
        }
        for (Node item : items) {
            String pattern = ConfigYaml.scalar(item, path);
            if (pattern.length() >= 2 && pattern.startsWith("/") && pattern.endsWith("/")) {
                try {
                    if (Pattern.compile(pattern.substring(1, pattern.length() - 1))
                            .matcher(name)
                            .matches()) {
                        return true;
                    }
                } catch (PatternSyntaxException e) {
                    throw new ConfigError(
                            item, path, "'" + pattern + "' is not a valid regular expression: " + e.getDescription());
                }
            } else if (pattern.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
