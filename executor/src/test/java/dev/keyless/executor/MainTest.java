package dev.keyless.executor;

import dev.keyless.executor.cli.UsageException;
import dev.keyless.executor.job.ExecutorConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void runTakesItsSettingsFromOptionsOrEnvironment() throws UsageException {
        ExecutorConfig config = Main.runConfig(List.of("--once", "--scheduler", "http://s", "--wait-seconds", "5"),
                Map.of("KEYLESS_CONTEXT_URL", "http://c", "KEYLESS_ISSUER_URL", "http://i",
                        "KEYLESS_EXECUTOR_TOKEN", "tok"));
        assertEquals("http://s", config.schedulerUrl());
        assertEquals("http://c", config.contextUrl());
        assertEquals("http://i", config.issuerUrl());
        assertEquals("tok", config.executorToken());
        assertEquals(5, config.waitSeconds());
        assertEquals(10, config.heartbeatSeconds());
        assertTrue(config.once());
        assertFalse(config.toString().contains("tok"));
        assertEquals(null, config.projectId());
    }

    @Test
    void runClaimsOnlyOneProjectsJobsWhenToldAndRefusesAProjectThatIsNotAnId() throws UsageException {
        Map<String, String> env = Map.of("KEYLESS_SCHEDULER_URL", "http://s", "KEYLESS_CONTEXT_URL", "http://c",
                "KEYLESS_ISSUER_URL", "http://i", "KEYLESS_EXECUTOR_TOKEN", "tok");
        String project = "6f1c1f4e-8d7a-4a8e-9d7e-0b4c1d2e3f40";
        assertEquals(project, Main.runConfig(List.of("--project", project), env).projectId().toString());
        UsageException e = assertThrows(UsageException.class, () -> Main.runConfig(List.of("--project", "app"), env));
        assertEquals("--project must be an id (a UUID)", e.getMessage());
    }

    @Test
    void runWithoutTheExecutorTokenIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> Main.runConfig(
                List.of("--scheduler", "http://s", "--context", "http://c", "--issuer", "http://i"), Map.of()));
        assertEquals("--token is required (or set KEYLESS_EXECUTOR_TOKEN)", e.getMessage());
    }

    @Test
    void unknownCommandsAndOidcGetOutsideAJobExitWithUsage() {
        assertEquals(Main.USAGE, Main.execute(List.of("fly"), Map.of()));
        assertEquals(Main.USAGE, Main.execute(List.of(), Map.of()));
        assertEquals(Main.USAGE, Main.execute(List.of("oidc", "get", "--audience", "x"), Map.of()));
        assertEquals(Main.USAGE, Main.execute(List.of("oidc", "verify", "--issuer", "http://i"), Map.of()));
    }
}
