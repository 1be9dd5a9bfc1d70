package dev.keyless.executor.cli;

import picocli.CommandLine;

import java.util.Map;

/**
 * Environment-variable defaults: an option whose {@code descriptionKey} names a variable takes that variable's value
 * when the option is absent, converted and checked like a value given on the command line. Each such option says
 * its variable in its help text.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argument) {
        String variable = argument.descriptionKey();
        if (variable == null || variable.isEmpty()) {
            return null;
        }
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
