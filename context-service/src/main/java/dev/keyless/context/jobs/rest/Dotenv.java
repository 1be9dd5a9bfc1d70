package dev.keyless.context.jobs.rest;

import java.util.Map;

/**
 * dotenv rendering: {@code NAME="value"} per line, the value double-quoted with {@code \\}, {@code "}, {@code $},
 * newline and carriage return escaped, so a multi-line or shell-looking value stays one literal value.
 */
final class Dotenv {

    private Dotenv() {
    }

    static String render(Map<String, String> variables) {
        StringBuilder out = new StringBuilder();
        variables.forEach((name, value) -> {
            out.append(name).append("=\"");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '$' -> out.append("\\$");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
            out.append("\"\n");
        });
        return out.toString();
    }
}
