package dev.keyless.context.jobs.rest;

import java.util.Map;

/**
 * dotenv rendering: {@code NAME='value'} per line. Inside single quotes every POSIX shell takes every character
 * literally (no {@code $}, backquote or backslash processing, newlines included), so {@code set -a; . ./job.env}
 * never runs anything; a single quote itself is written as {@code '\''} (close, escaped quote, reopen).
 */
final class Dotenv {

    private Dotenv() {}

    static String render(Map<String, String> variables) {
        StringBuilder out = new StringBuilder();
        variables.forEach((name, value) -> out.append(name)
                .append("='")
                .append(value.replace("'", "'\\''"))
                .append("'\n"));
        return out.toString();
    }
}
