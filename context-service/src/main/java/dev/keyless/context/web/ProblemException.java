package dev.keyless.context.web;

import java.util.List;

/**
 * A failure the caller should see as a problem body. The detail is written for the caller: it never holds a
 * value, a token, a credential or an internal.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.ProblemError> errors;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null, null);
    }

    public ProblemException(int status, String title, String detail, List<Problem.ProblemError> errors,
            Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "Service unavailable", detail, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors);
    }
}
