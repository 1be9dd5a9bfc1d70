package dev.keyless.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * RFC 9457 problem details; never carries internals (no stack traces, class names, SQL or secret values).
 * {@code errors} lists located errors (e.g. positions in an expression) when there are any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<ProblemError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String detail) {
        return new Problem("about:blank", title(status), status, detail, null);
    }

    /** The standard reason phrase; 422 and unknown codes are not in the JAX-RS enum. */
    public static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> "Error";
        };
    }

    /** One located error: 1-based line and column when known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProblemError(Integer line, Integer column, String message) {}
}
