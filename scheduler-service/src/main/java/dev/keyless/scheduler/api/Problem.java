package dev.keyless.scheduler.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details; never carries internals (no stack traces, class names or SQL). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
