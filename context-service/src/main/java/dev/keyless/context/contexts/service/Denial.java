package dev.keyless.context.contexts.service;

/**
 * Why a job may not use a context.
 *
 * @param kind        for metrics: {@code unknown_context}, {@code context_deleted}, {@code fork_pull_request},
 *                    {@code project}, {@code group} or {@code expression}
 * @param contextName the context denied
 * @param reason      a sentence the job's user can act on; never a value
 */
public record Denial(String kind, String contextName, String reason) {

    public static Denial unknownContext(String name) {
        return new Denial("unknown_context", name, "context '" + name + "' does not exist in this organization; "
                + "create it or remove it from the job's contexts");
    }

    public static Denial contextDeleted(String name) {
        return new Denial("context_deleted", name, "context '" + name + "' was deleted after the job started; "
                + "re-run the job once the context exists again");
    }
}
