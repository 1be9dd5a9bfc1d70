package dev.keyless.executor;

import dev.keyless.executor.cli.UsageException;
import dev.keyless.executor.job.ExecutorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
        assertEquals("the executor token is required: set KEYLESS_EXECUTOR_TOKEN or use --token-file FILE",
                e.getMessage());
    }

    @Test
    void runRefusesTheExecutorTokenOnTheCommandLineWhereProcessListsShowIt() {
        UsageException e = assertThrows(UsageException.class, () -> Main.runConfig(List.of("--scheduler", "http://s",
                "--context", "http://c", "--issuer", "http://i", "--token", "secret-on-the-command-line"), Map.of()));
        assertTrue(e.getMessage().startsWith("--token is not accepted"));
        assertFalse(e.getMessage().contains("secret-on-the-command-line"));
    }

    @Test
    void runReadsTheExecutorTokenFromAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-the-file\n");
        Map<String, String> env = Map.of("KEYLESS_SCHEDULER_URL", "http://s", "KEYLESS_CONTEXT_URL", "http://c",
                "KEYLESS_ISSUER_URL", "http://i", "KEYLESS_EXECUTOR_TOKEN", "from-the-environment");
        assertEquals("from-the-file", Main.runConfig(List.of("--token-file", file.toString()), env).executorToken());
        assertEquals("from-the-file", Main.runConfig(List.of(), Map.of("KEYLESS_SCHEDULER_URL", "http://s",
                "KEYLESS_CONTEXT_URL", "http://c", "KEYLESS_ISSUER_URL", "http://i",
                "KEYLESS_EXECUTOR_TOKEN_FILE", file.toString())).executorToken());
        UsageException missing = assertThrows(UsageException.class, () -> Main.runConfig(
                List.of("--token-file", dir.resolve("absent").toString()), env));
        assertTrue(missing.getMessage().startsWith("cannot read the executor token file"));
    }

    @Test
    void oidcGetReadsTheJobCredentialFromTheFileTheExecutorKeepsFresh(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("credential"), "renewed-credential");
        var arguments = dev.keyless.executor.cli.Arguments.parse(List.of(), java.util.Set.of(), java.util.Set.of(),
                Map.of());
        assertEquals("renewed-credential", Main.jobCredential(arguments,
                Map.of("KEYLESS_JOB_CREDENTIAL_FILE", file.toString())));
        Files.writeString(file, "renewed-again");
        assertEquals("renewed-again", Main.jobCredential(arguments,
                Map.of("KEYLESS_JOB_CREDENTIAL_FILE", file.toString())));
    }

    @Test
    void unknownCommandsAndOidcGetOutsideAJobExitWithUsage() {
        assertEquals(Main.USAGE, Main.execute(List.of("fly"), Map.of()));
        assertEquals(Main.USAGE, Main.execute(List.of(), Map.of()));
        assertEquals(Main.USAGE, Main.execute(List.of("oidc", "get", "--audience", "x"), Map.of()));
        assertEquals(Main.USAGE, Main.execute(List.of("oidc", "verify", "--issuer", "http://i"), Map.of()));
    }
}
