package dev.keyless.problem;

import java.util.List;
import java.util.Map;

/**
 * A failure the caller can act on, answered as a problem body with {@link #status()}. The detail is written for
 * the caller: it never holds a value, a token, a credential or an internal.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.ProblemError> errors;
    private final Map<String, String> headers;

    public ProblemException(int status, String detail) {
        this(status, Problem.title(status), detail);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null, Map.of());
    }

    public ProblemException(
            int status, String title, String detail, List<Problem.ProblemError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, detail);
    }

    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return retryLater(429, detail, retryAfterSeconds);
    }

    public static ProblemException unavailable(String detail, long retryAfterSeconds) {
        return retryLater(503, detail, retryAfterSeconds);
    }

    private static ProblemException retryLater(int status, String detail, long retryAfterSeconds) {
        return new ProblemException(
                status, Problem.title(status), detail, null, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.ProblemError> errors() {
        return errors;
    }

    /** Extra response headers, e.g. Retry-After. */
    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors);
    }
}
