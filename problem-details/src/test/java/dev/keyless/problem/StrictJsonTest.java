package dev.keyless.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StrictJsonTest {

    record Job(String name, Integer exitCode, int timeoutSeconds, Boolean sshRerun, List<String> contexts) {}

    /** As the services configure theirs: snake_case names (microprofile-config.properties) and these rules. */
    private static final ObjectMapper JSON =
            StrictJson.configure(new ObjectMapper()).setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Test
    void aWellTypedBodyIsReadAsWritten() throws JsonProcessingException {
        Job job = JSON.readValue(
                "{\"name\":\"deploy\",\"exit_code\":3,\"timeout_seconds\":600,\"ssh_rerun\":true,"
                        + "\"contexts\":[\"aws\"]}",
                Job.class);
        assertEquals(new Job("deploy", 3, 600, true, List.of("aws")), job);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"exit_code\": 0.5}                 | field 'exit_code' must be an integer",
                "{\"exit_code\": \"0\"}               | field 'exit_code' must be an integer",
                "{\"timeout_seconds\": \"600\"}       | field 'timeout_seconds' must be an integer",
                "{\"timeout_seconds\": 600.0}         | field 'timeout_seconds' must be an integer",
                "{\"timeout_seconds\": null}          | field 'timeout_seconds' must be an integer",
                "{\"name\": 42}                       | field 'name' must be a string",
                "{\"name\": true}                     | field 'name' must be a string",
                "{\"name\": 4.2}                      | field 'name' must be a string",
                "{\"ssh_rerun\": 1}                   | field 'ssh_rerun' must be true or false",
                "{\"ssh_rerun\": \"true\"}            | field 'ssh_rerun' must be true or false",
                "{\"contexts\": \"aws\"}              | field 'contexts' must be an array",
                "{\"contexts\": [7]}                  | field 'contexts[0]' must be a string",
                "{\"timeout_seconds\": 1, \"colour\": \"blue\"} | unknown field 'colour'",
            })
    void aWrongTypeOrAnUnknownFieldIsRefusedNamingTheField(String body, String detail) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JSON.readValue(body, Job.class));
        assertEquals(detail, JsonProblems.describe(e, "JSON"));
    }

    @Test
    void anythingAfterTheValueIsRefused() {
        assertThrows(JsonProcessingException.class, () -> JSON.readValue("{\"name\":\"a\"} {}", Job.class));
    }
}
