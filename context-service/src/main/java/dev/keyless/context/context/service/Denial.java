package dev.keyless.context.context.service;

import java.util.List;

/**
 * Why a job may not use a context.
 *
 * @param kind        for metrics: {@code unknown_context}, {@code context_deleted}, {@code fork_pull_request},
 *                    {@code project}, {@code group} or {@code expression}
 * @param contextName the context denied
 * @param reason      a sentence the job's user can act on; never a value; at most {@link #MAX_REASON} characters
 */
public record Denial(String kind, String contextName, String reason) {

    /**
     * Longest reason. The reason is stored in this service's {@code job_resolution.denied_reason} and the
     * scheduler's {@code job.status_reason} (both VARCHAR(1000)); a longer one fails the insert, the denial
     * never reaches the scheduler and the job stays queued.
     */
    public static final int MAX_REASON = 600;
    /** Most restriction values a reason names; the rest are counted. */
    static final int MAX_LISTED = 3;
    /** Longest single value (group, branch, tag) a reason quotes. */
    static final int MAX_VALUE = 80;
    /** Longest expression text a reason quotes. */
    static final int MAX_EXPRESSION = 160;

    private static final String ELLIPSIS = "…";

    public Denial {
        reason = clip(reason, MAX_REASON);
    }

    public static Denial unknownContext(String name) {
        return new Denial(
                "unknown_context",
                name,
                "context '" + clip(name, MAX_VALUE) + "' does not exist in this "
                        + "organization; create it or remove it from the job's contexts");
    }

    public static Denial contextDeleted(String name) {
        return new Denial(
                "context_deleted",
                name,
                "context '" + clip(name, MAX_VALUE) + "' was deleted after the "
                        + "job started; re-run the job once the context exists again");
    }

    /** {@code text}, cut to at most {@code max} characters with an ellipsis when longer. */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        // never split a surrogate pair
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /** The first {@link #MAX_LISTED} values, each clipped and put between {@code quote}s, then how many more. */
    static String list(List<String> values, String quote) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(values.size(), MAX_LISTED); i++) {
            out.append(i == 0 ? "" : ", ")
                    .append(quote)
                    .append(clip(values.get(i), MAX_VALUE))
                    .append(quote);
        }
        if (values.size() > MAX_LISTED) {
            out.append(" and ").append(values.size() - MAX_LISTED).append(" more");
        }
        return out.toString();
    }
}
