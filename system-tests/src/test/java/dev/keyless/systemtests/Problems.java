package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9457 problem bodies: type, title, status, detail; no stack trace, class name or SQL. */
final class Problems {

    private static final List<String> INTERNALS = List.of(
            "Exception",
            "\tat ",
            "at dev.keyless",
            "java.",
            "io.quarkus",
            "org.hibernate",
            "io.vertx",
            "SQL",
            "select ",
            "insert into",
            "com.fasterxml");

    private Problems() {}

    static JsonNode assertProblem(Http.Response response, int status) {
        assertEquals(status, response.status(), () -> "status: " + response);
        assertTrue(
                response.contentType().startsWith("application/problem+json"),
                () -> "problem content type, got '" + response.contentType() + "': " + response);
        JsonNode problem = response.json();
        assertEquals(status, problem.path("status").asInt(), () -> "status in the body: " + response);
        assertFalse(problem.path("title").asText().isBlank(), () -> "a title: " + response);
        assertTrue(problem.has("type"), () -> "a type: " + response);
        assertFalse(problem.path("detail").asText().isBlank(), () -> "a detail that says what is wrong: " + response);
        for (String internal : INTERNALS) {
            assertFalse(response.body().contains(internal), () -> "no internals (" + internal + ") in " + response);
        }
        return problem;
    }
}
