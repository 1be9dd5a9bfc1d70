package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workflows run to the end by the real reference executor ({@code executor/target/keyless-executor.jar}) as its
 * own process: claims, environment, masked output, {@code executor oidc get} inside the job, exit codes.
 */
@ExtendWith(PlatformExtension.class)
class WorkflowWithExecutorSystemTest {

    private static final String SECRET = "hunter2-" + UUID.randomUUID();
    private static final Duration RUN_WAIT = Duration.ofSeconds(90);

    private static KeylessPlatform platform;
    private static Keyless keyless;
    private static Keyless.Org org;
    private static Process executor;

    @BeforeAll
    static void startAnExecutor(KeylessPlatform started) throws IOException {
        platform = started;
        keyless = new Keyless(platform);
        org = keyless.createOrg();
        keyless.createContext(org, "aws-prod", Map.of("DEPLOY_PASSWORD", SECRET));
        executor = platform.startExecutor("executor-workflow");
    }

    @AfterAll
    static void stopTheExecutor() {
        KeylessPlatform.stop(executor);
    }

    @Test
    void aTwoJobWorkflowFromAYamlConfigRunsInOrderWithSecretsMaskedAndTokensAvailable() throws IOException {
        JsonNode pipeline = keyless.triggerYaml(
                org,
                """
                version: 2.1
                jobs:
                  build:
                    docker:
                      - image: cimg/base:current
                    steps:
                      - run: echo "build-step ran for $KEYLESS_JOB_NAME"
                  deploy:
                    steps:
                      - run:
                          name: use the secret
                          command: echo "deploy-step sees password=$DEPLOY_PASSWORD"
                      - run: test -n "$CIRCLE_OIDC_TOKEN" && test -n "$CIRCLE_OIDC_TOKEN_V2"
                      - run: |
                          token=$(executor oidc get --audience sts.amazonaws.com --ttl 120)
                          echo "deploy-step got a token of ${#token} characters: $token"
                workflows:
                  build-and-deploy:
                    jobs:
                      - build
                      - deploy:
                          context: [aws-prod]
                          requires: [build]
                """);
        UUID build = Keyless.jobId(pipeline, "build");
        UUID deploy = Keyless.jobId(pipeline, "deploy");

        JsonNode deployed = keyless.awaitStatus(org, deploy, RUN_WAIT, "success", "failed", "not_run", "unauthorized");
        assertEquals(
                "success",
                deployed.get("status").asText().toLowerCase(),
                () -> "deploy: " + deployed + "\n" + output());
        assertEquals(0, deployed.get("exit_code").asInt());
        JsonNode built = keyless.job(org, build);
        assertEquals("success", built.get("status").asText().toLowerCase(), () -> "build: " + built);

        String output = output();
        int buildLine = output.indexOf("build-step ran for build");
        int deployLine = output.indexOf("deploy-step sees password=********");
        assertTrue(buildLine >= 0, () -> "build ran:\n" + output);
        assertTrue(deployLine > buildLine, () -> "deploy ran after build, with the secret masked:\n" + output);
        assertTrue(
                output.contains("deploy-step got a token of "),
                () -> "executor oidc get worked inside the job:\n" + output);
        assertTrue(
                output.matches("(?s).*deploy-step got a token of [0-9]{3,} characters: \\*{8}.*"),
                () -> "the fresh token is masked in the output:\n" + output);
        assertFalse(output.contains(SECRET), "the secret never appears in the output");
        assertFalse(output.contains("eyJ"), "no token appears in the output");
    }

    @Test
    void aFailingJobReportsItsExitCodeAndItsDependentsDoNotRun() {
        JsonNode pipeline = keyless.trigger(
                org,
                List.of(
                        Keyless.job("build", "echo failing on purpose; exit 3", List.of(), List.of()),
                        Keyless.job("deploy", "echo must not run", List.of("aws-prod"), List.of("build"))));
        UUID build = Keyless.jobId(pipeline, "build");
        UUID deploy = Keyless.jobId(pipeline, "deploy");

        JsonNode failed = keyless.awaitStatus(org, build, RUN_WAIT, "success", "failed");
        assertEquals("failed", failed.get("status").asText().toLowerCase());
        assertEquals(3, failed.get("exit_code").asInt());
        keyless.awaitStatus(org, deploy, Duration.ofSeconds(30), "not_run");
    }

    private static String output() {
        try {
            return Files.readString(platform.log("executor-workflow"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
