package dev.keyless.executor.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed options of one sub-command: {@code --name value}, {@code --name=value}, boolean {@code --flag}s and
 * positional arguments. An option missing from the command line falls back to its environment variable.
 */
public final class Arguments {

    private final Map<String, String> options;
    private final Set<String> flags;
    private final List<String> positional;
    private final Map<String, String> environment;

    private Arguments(Map<String, String> options, Set<String> flags, List<String> positional,
                      Map<String, String> environment) {
        this.options = options;
        this.flags = flags;
        this.positional = positional;
        this.environment = environment;
    }

    /**
     * @param valueOptions option names (without {@code --}) that take a value
     * @param flagOptions  option names that take none
     */
    public static Arguments parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions,
                                  Map<String, String> environment) throws UsageException {
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positional = new ArrayList<>();
        boolean onlyPositional = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (onlyPositional || !arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyPositional = true;
                continue;
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flagOptions.contains(name)) {
                if (inlineValue != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
            } else if (valueOptions.contains(name)) {
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (options.putIfAbsent(name, value) != null) {
                    throw new UsageException("--" + name + " is given twice");
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new Arguments(options, flags, positional, environment);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option's value, else the environment variable's (when {@code envVar} is not null), else empty. */
    public Optional<String> optional(String name, String envVar) {
        String value = options.get(name);
        if (value == null && envVar != null) {
            value = environment.get(envVar);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    public String required(String name, String envVar) throws UsageException {
        return optional(name, envVar).orElseThrow(() -> new UsageException(
                "--" + name + " is required" + (envVar == null ? "" : " (or set " + envVar + ")")));
    }

    /** A value only the environment may give (a credential must not show in the process list). */
    public String requiredEnvironment(String envVar) throws UsageException {
        String value = environment.get(envVar);
        if (value == null || value.isBlank()) {
            throw new UsageException(envVar + " is not set (is this running inside a Keyless job?)");
        }
        return value;
    }

    /** A whole number of seconds in {@code [min, max]}, or {@code defaultValue} when absent. */
    public int seconds(String name, String envVar, int defaultValue, int min, int max) throws UsageException {
        Optional<String> value = optional(name, envVar);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get().trim());
            if (parsed < min || parsed > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number of seconds");
        }
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }
}
