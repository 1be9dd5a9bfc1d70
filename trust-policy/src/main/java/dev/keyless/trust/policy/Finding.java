package dev.keyless.trust.policy;

/**
 * A lint finding: something about the policy that is dangerous or can never work with Keyless tokens.
 *
 * @param code    stable identifier: {@code no_sub_condition}, {@code admits_every_branch},
 *                {@code admits_fork_pull_requests}, {@code admits_other_projects}, {@code aud_not_pinned},
 *                {@code never_matches}, {@code unsupported}, {@code note}
 */
public record Finding(Severity severity, String code, String message) {

    public enum Severity {
        ERROR,
        WARNING,
        INFO
    }

    static Finding error(String code, String message) {
        return new Finding(Severity.ERROR, code, message);
    }

    static Finding warning(String code, String message) {
        return new Finding(Severity.WARNING, code, message);
    }

    static Finding info(String code, String message) {
        return new Finding(Severity.INFO, code, message);
    }
}
