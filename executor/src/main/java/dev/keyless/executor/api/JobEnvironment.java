package dev.keyless.executor.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code GET /api/v1/jobs/{jobId}/environment}: the job's variables and the values its output must not show. */
public record JobEnvironment(UUID jobId, Map<String, String> variables, List<String> mask) {

    public JobEnvironment {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        mask = mask == null ? List.of() : List.copyOf(mask);
    }

    @Override
    public String toString() {
        return "JobEnvironment[jobId=" + jobId + ", variables=" + variables.keySet() + "]";
    }
}
