package dev.keyless.executor.cli;

/** {@code export NAME='value'} lines for {@code eval "$(executor ... configure ...)"} in a POSIX shell. */
final class Exports {

    private Exports() {}

    static String export(String name, String value) {
        return "export " + name + "='" + value.replace("'", "'\\''") + "'";
    }
}
