package dev.keyless.executor.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command reads and writes besides its options: the process environment and the two output streams. Passed
 * in rather than taken from {@link System}, so that tests run commands with an environment of their own.
 */
public record Io(Map<String, String> env, PrintStream out, PrintStream err) {

    /** The variable's value, or null when it is unset or blank. */
    public String variable(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A value only the environment may give (a credential must not show in the process list). */
    public String requiredVariable(String name) throws UsageException {
        String value = variable(name);
        if (value == null) {
            throw new UsageException(name + " is not set (is this running inside a Keyless job?)");
        }
        return value;
    }
}
