package dev.keyless.context.jobs;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dotenv output is meant for {@code set -a; . ./job.env}: sourced by real shells, every value must come out
 * byte for byte as stored and nothing in it may run.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class DotenvShellTest {

    /** Values a shell would expand, split or execute if they were not quoted literally. */
    private static final Map<String, String> HOSTILE = hostileValues();

    private static Map<String, String> hostileValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("BACKTICKS", "a`touch ran-backticks`b");
        values.put("ID_IN_BACKTICKS", "a`id`b");
        values.put("SUBSHELL", "$(touch ran-subshell)");
        values.put("PARAMETERS", "$HOME ${PATH} $((1+1)) $0 $1 ${X:-default} $");
        values.put("SINGLE_QUOTES", "it's 'quoted' '' ''' '\\''");
        values.put("DOUBLE_QUOTES", "say \"hi\" \"");
        values.put("BACKSLASHES", "\\ \\\\ \\n \\' \\\" ends with \\");
        values.put("NEWLINES", "line1\nline2\n\n");
        values.put("CARRIAGE_RETURN", "crlf\r\nx\r");
        values.put("SEPARATORS", "; touch ran-semicolon && touch ran-and | touch ran-pipe # not a comment");
        values.put("GLOBS_AND_TILDE", "* ? [a-z] ~ ~root !! !$");
        values.put("NON_ASCII", "Grüße – 日本語 – \uD83D\uDE42 – é");
        values.put("LEADING_SPACE", "  padded  ");
        values.put("ONLY_QUOTE", "'");
        return values;
    }

    @Test
    void dotenvSourcedInShAndBashGivesEveryValueByteForByteAndRunsNothing() throws Exception {
        UUID org = UUID.randomUUID();
        String name = uniqueName("dotenv");
        UUID context = createContext(org, name);
        HOSTILE.forEach((variable, value) -> setVariable(org, context, variable, value));
        JobStarted job = JobEvents.started(org, UUID.randomUUID(), List.of(name));
        JobEvents.resolved(job);
        IssuerContractStub.tokens(job.jobId(), "v1-token-sh", "v2-token-sh");

        byte[] dotenv = given().auth()
                .oauth2(TestTokens.jobCredential(job.jobId(), org))
                .queryParam("format", "dotenv")
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();

        Map<String, String> expected = new LinkedHashMap<>(HOSTILE);
        expected.put("CIRCLE_OIDC_TOKEN", "v1-token-sh");
        expected.put("CIRCLE_OIDC_TOKEN_V2", "v2-token-sh");
        for (String shell : List.of("/bin/sh", "dash", "bash")) {
            sourceAndCompare(shell, dotenv, expected);
        }
    }

    private static void sourceAndCompare(String shell, byte[] dotenv, Map<String, String> expected)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dotenv-" + Path.of(shell).getFileName());
        try {
            Files.write(dir.resolve("job.env"), dotenv);
            StringBuilder script = new StringBuilder("set -a; . ./job.env || exit 3\n");
            // printf '%s' writes the variable's exact bytes (a command substitution would eat trailing newlines)
            expected.keySet().forEach(variable -> script.append("printf '%s' \"$")
                    .append(variable)
                    .append("\" > ")
                    .append(variable)
                    .append(".out\n"));
            Process process = new ProcessBuilder(shell, "-c", script.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), shell + " did not finish");
            assertEquals(0, process.exitValue(), shell + " failed to source the dotenv output: " + output);
            assertEquals("", output, shell + " printed something while sourcing, so a value was executed");
            for (Map.Entry<String, String> entry : expected.entrySet()) {
                assertArrayEquals(
                        entry.getValue().getBytes(StandardCharsets.UTF_8),
                        Files.readAllBytes(dir.resolve(entry.getKey() + ".out")),
                        shell + " read " + entry.getKey() + " differently");
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<String> ran = files.map(f -> f.getFileName().toString())
                        .filter(f -> f.startsWith("ran-"))
                        .toList();
                assertEquals(List.of(), ran, shell + " ran commands hidden in values");
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }
}
