package dev.keyless.context.context.service;

import dev.keyless.context.config.ContextConfig;
import dev.keyless.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/** Input rules for names and values, each failure a 400 that says what is allowed. */
@ApplicationScoped
public class Names {

    static final int MAX_CONTEXT_NAME = 100;
    static final int MAX_GROUP_NAME = 100;
    private static final Pattern CONTEXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@-]*");

    private final ContextConfig config;

    public Names(ContextConfig config) {
        this.config = config;
    }

    public String contextName(String name) {
        if (name == null
                || name.isEmpty()
                || name.length() > MAX_CONTEXT_NAME
                || !CONTEXT_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("a context name has 1 to " + MAX_CONTEXT_NAME + " characters: letters, "
                    + "digits, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    public String variableName(String name) {
        int max = config.limits().maxVariableNameLength();
        if (name == null
                || name.isEmpty()
                || name.length() > max
                || !VARIABLE_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("a variable name has 1 to " + max + " characters: letters, digits and "
                    + "'_', not starting with a digit");
        }
        if (name.equals(config.environment().tokenV1Name())
                || name.equals(config.environment().tokenV2Name())) {
            throw ProblemException.badRequest("'" + name + "' is reserved for the job's OIDC token");
        }
        return name;
    }

    public String variableValue(String value) {
        if (value == null || value.isEmpty()) {
            throw ProblemException.badRequest("value: must be a non-empty string");
        }
        int max = config.limits().maxValueBytes();
        if (value.getBytes(StandardCharsets.UTF_8).length > max) {
            throw ProblemException.badRequest("value: must be at most " + max + " bytes (UTF-8)");
        }
        return value;
    }

    public String groupName(String name) {
        if (name == null
                || name.isEmpty()
                || name.length() > MAX_GROUP_NAME
                || !GROUP_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("a security group name has 1 to " + MAX_GROUP_NAME + " characters: "
                    + "letters, digits, spaces, '.', '_', '@' and '-'");
        }
        return name;
    }

    public String projectId(String value) {
        try {
            return UUID.fromString(value == null ? "" : value.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("a project restriction's value is the project id (a UUID)");
        }
    }

    /** The masked hint a listing shows: the last four characters of a value of eight or more, else nothing. */
    public static String hint(String value) {
        int length = value.codePointCount(0, value.length());
        if (length < 8) {
            return null;
        }
        int start = value.offsetByCodePoints(0, length - 4);
        return "****" + value.substring(start);
    }
}
