package dev.keyless.context.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * RFC 9457 problem details. {@code errors} lists positions in a restriction expression when there are any.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<ProblemError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One located error, e.g. in a CEL expression: 1-based line and column. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProblemError(Integer line, Integer column, String message) {
    }
}
