package dev.keyless.executor;

import dev.keyless.executor.cli.Commands;
import dev.keyless.executor.cli.Io;
import dev.keyless.executor.cli.UsageException;
import dev.keyless.executor.job.ExecutorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private static final Map<String, String> RUN_ENV = Map.of(
            "KEYLESS_SCHEDULER_URL",
            "http://s",
            "KEYLESS_CONTEXT_URL",
            "http://c",
            "KEYLESS_ISSUER_URL",
            "http://i",
            "KEYLESS_EXECUTOR_TOKEN",
            "tok");

    private static ExecutorConfig runConfig(List<String> args, Map<String, String> env) throws UsageException {
        return Commands.runConfig(args, new Io(env, System.out, System.err));
    }

    /** Exit code, stdout and stderr of one command. */
    private record Result(int exitCode, String out, String err) {}

    private static Result execute(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(
                List.of(args),
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runTakesItsSettingsFromOptionsOrEnvironment() throws UsageException {
        ExecutorConfig config = runConfig(
                List.of("--once", "--scheduler", "http://s", "--wait-seconds", "5"),
                Map.of(
                        "KEYLESS_CONTEXT_URL",
                        "http://c",
                        "KEYLESS_ISSUER_URL",
                        "http://i",
                        "KEYLESS_EXECUTOR_TOKEN",
                        "tok"));
        assertEquals("http://s", config.schedulerUrl());
        assertEquals("http://c", config.contextUrl());
        assertEquals("http://i", config.issuerUrl());
        assertEquals("tok", config.executorToken());
        assertEquals(5, config.waitSeconds());
        assertEquals(10, config.heartbeatSeconds());
        assertEquals(0.5, config.tokenRefreshShare());
        assertTrue(config.once());
        assertFalse(config.toString().contains("tok"));
        assertNull(config.projectId());
    }

    @Test
    void anOptionWinsOverItsEnvironmentVariableAndInlineValuesWork() throws UsageException {
        Map<String, String> env = new HashMap<>(RUN_ENV);
        env.put("KEYLESS_TOKEN_REFRESH_SHARE", "0.25");
        ExecutorConfig config = runConfig(List.of("--scheduler=http://cli", "--heartbeat-seconds=3"), env);
        assertEquals("http://cli", config.schedulerUrl());
        assertEquals(3, config.heartbeatSeconds());
        assertEquals(0.25, config.tokenRefreshShare());
    }

    @Test
    void runRefusesSecondsOutOfRangeAndMissingUrlsNamingTheirVariable() {
        UsageException range =
                assertThrows(UsageException.class, () -> runConfig(List.of("--wait-seconds", "301"), RUN_ENV));
        assertEquals("--wait-seconds must be between 0 and 300", range.getMessage());
        UsageException share =
                assertThrows(UsageException.class, () -> runConfig(List.of("--token-refresh-share", "1"), RUN_ENV));
        assertEquals("--token-refresh-share must be between 0.05 and 0.95", share.getMessage());
        UsageException missing =
                assertThrows(UsageException.class, () -> runConfig(List.of(), Map.of("KEYLESS_EXECUTOR_TOKEN", "tok")));
        assertEquals("--scheduler is required (or set KEYLESS_SCHEDULER_URL)", missing.getMessage());
    }

    @Test
    void runClaimsOnlyOneProjectsJobsWhenToldAndRefusesAProjectThatIsNotAnId() throws UsageException {
        String project = "6f1c1f4e-8d7a-4a8e-9d7e-0b4c1d2e3f40";
        assertEquals(
                project,
                runConfig(List.of("--project", project), RUN_ENV).projectId().toString());
        UsageException e = assertThrows(UsageException.class, () -> runConfig(List.of("--project", "app"), RUN_ENV));
        assertEquals("--project must be an id (a UUID)", e.getMessage());
    }

    @Test
    void runWithoutTheExecutorTokenIsAUsageError() {
        UsageException e = assertThrows(
                UsageException.class,
                () -> runConfig(
                        List.of("--scheduler", "http://s", "--context", "http://c", "--issuer", "http://i"), Map.of()));
        assertEquals(
                "the executor token is required: set KEYLESS_EXECUTOR_TOKEN or use --token-file FILE", e.getMessage());
    }

    @Test
    void runRefusesTheExecutorTokenOnTheCommandLineWhereProcessListsShowIt() {
        UsageException e = assertThrows(
                UsageException.class,
                () -> runConfig(
                        List.of(
                                "--scheduler",
                                "http://s",
                                "--context",
                                "http://c",
                                "--issuer",
                                "http://i",
                                "--token",
                                "secret-on-the-command-line"),
                        Map.of()));
        assertTrue(e.getMessage().startsWith("--token is not accepted"));
        assertFalse(e.getMessage().contains("secret-on-the-command-line"));
        Result result = execute(Map.of(), "run", "--token", "secret-on-the-command-line");
        assertEquals(Main.USAGE, result.exitCode());
        assertFalse(result.err().contains("secret-on-the-command-line"));
        assertFalse(execute(Map.of(), "run", "--help").out().contains("--token "), "--token is not offered in help");
    }

    @Test
    void runReadsTheExecutorTokenFromAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-the-file\n");
        Map<String, String> env = Map.of(
                "KEYLESS_SCHEDULER_URL",
                "http://s",
                "KEYLESS_CONTEXT_URL",
                "http://c",
                "KEYLESS_ISSUER_URL",
                "http://i",
                "KEYLESS_EXECUTOR_TOKEN",
                "from-the-environment");
        assertEquals(
                "from-the-file",
                runConfig(List.of("--token-file", file.toString()), env).executorToken());
        assertEquals(
                "from-the-file",
                runConfig(
                                List.of(),
                                Map.of(
                                        "KEYLESS_SCHEDULER_URL",
                                        "http://s",
                                        "KEYLESS_CONTEXT_URL",
                                        "http://c",
                                        "KEYLESS_ISSUER_URL",
                                        "http://i",
                                        "KEYLESS_EXECUTOR_TOKEN_FILE",
                                        file.toString()))
                        .executorToken());
        UsageException missing = assertThrows(
                UsageException.class,
                () -> runConfig(List.of("--token-file", dir.resolve("absent").toString()), env));
        assertTrue(missing.getMessage().startsWith("cannot read the executor token file"));
    }

    @Test
    void oidcGetReadsTheJobCredentialFromTheFileTheExecutorKeepsFresh(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("credential"), "renewed-credential");
        // an issuer that is not there: the call fails (1) after reading the credential, not with a usage error
        Map<String, String> env = Map.of(
                "KEYLESS_JOB_ID",
                "6f1c1f4e-8d7a-4a8e-9d7e-0b4c1d2e3f40",
                "KEYLESS_JOB_CREDENTIAL_FILE",
                file.toString(),
                "KEYLESS_ISSUER_URL",
                "http://127.0.0.1:9");
        assertEquals(
                Main.FAILURE, execute(env, "oidc", "get", "--audience", "x").exitCode());
        Files.delete(file);
        Result gone = execute(env, "oidc", "get", "--audience", "x");
        assertEquals(Main.USAGE, gone.exitCode());
        assertTrue(gone.err().contains("cannot read the job credential file"), gone.err());
    }

    @Test
    void unknownCommandsAndOidcGetOutsideAJobExitWithUsage() {
        assertEquals(Main.USAGE, execute(Map.of(), "fly").exitCode());
        assertEquals(Main.USAGE, execute(Map.of()).exitCode());
        assertEquals(Main.USAGE, execute(Map.of(), "oidc").exitCode());
        assertEquals(
                Main.USAGE, execute(Map.of(), "oidc", "get", "--audience", "x").exitCode());
        assertEquals(Main.USAGE, execute(Map.of(), "oidc", "get").exitCode());
        assertEquals(
                Main.USAGE,
                execute(Map.of(), "oidc", "verify", "--issuer", "http://i").exitCode());
        assertEquals(
                Main.USAGE, execute(Map.of(), "run", "--wait-seconds", "ten").exitCode());
        assertEquals(
                Main.USAGE,
                execute(Map.of(), "run", "--wait-seconds", "1", "--wait-seconds", "2")
                        .exitCode());
        assertEquals(Main.USAGE, execute(Map.of(), "aws", "configure").exitCode());
        assertEquals(Main.USAGE, execute(Map.of(), "vault").exitCode());
    }

    @Test
    void everyCommandHasHelpAndTheVersionIsPrinted() {
        for (String[] command : List.of(
                new String[] {"--help"},
                new String[] {"run", "--help"},
                new String[] {"oidc", "get", "--help"},
                new String[] {"oidc", "verify", "--help"},
                new String[] {"aws", "configure", "--help"},
                new String[] {"gcp", "configure", "--help"},
                new String[] {"vault", "login", "--help"},
                new String[] {"help", "aws", "configure"})) {
            Result help = execute(Map.of(), command);
            assertEquals(0, help.exitCode(), String.join(" ", command));
            assertTrue(help.out().startsWith("Usage: executor"), () -> String.join(" ", command) + ":\n" + help.out());
        }
        Result version = execute(Map.of(), "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("(?s)Keyless executor \\d+\\.\\d+\\.\\d+.*"), version.out());
    }

    @Test
    void helpShowsTheEnvironmentVariableBehindEachDefault() {
        String run = execute(Map.of(), "run", "--help").out().replaceAll("\\s+", " ");
        assertTrue(run.contains("(default: $KEYLESS_SCHEDULER_URL)"), run);
        assertTrue(run.contains("$KEYLESS_EXECUTOR_TOKEN_FILE"), run);
        assertTrue(run.contains("Exit status"), run);
        assertTrue(execute(Map.of(), "vault", "login", "--help").out().contains("$VAULT_ADDR"));
    }
}
