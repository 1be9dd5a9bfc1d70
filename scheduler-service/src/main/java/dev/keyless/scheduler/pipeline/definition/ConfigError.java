package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.Problem;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One problem in a config, located: the path in the document ({@code jobs.aws-example.steps[2]}) and the 1-based
 * line and column of the node it is about. Thrown where reading the element cannot go on, collected by the parser.
 */
final class ConfigError extends RuntimeException {

    private final String path;
    private final Integer line;
    private final Integer column;

    ConfigError(Node node, String path, String message) {
        super(message, null, false, false);
        this.path = path;
        this.line = node == null ? null : node.getStartMark().getLine() + 1;
        this.column = node == null ? null : node.getStartMark().getColumn() + 1;
    }

    /** {@code path: message (line L, column C)} */
    String describe() {
        String where = path == null || path.isEmpty() ? "" : path + ": ";
        return where + getMessage() + (line == null ? "" : " (line " + line + ", column " + column + ")");
    }

    Problem.ProblemError toProblemError() {
        return new Problem.ProblemError(
                line, column, (path == null || path.isEmpty() ? "" : path + ": ") + getMessage());
    }
}
