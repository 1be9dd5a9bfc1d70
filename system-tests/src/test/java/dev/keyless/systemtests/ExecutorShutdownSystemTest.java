package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to a real executor in the middle of a job: the job finishes, is reported, then the executor exits. */
@ExtendWith(PlatformExtension.class)
class ExecutorShutdownSystemTest {

    @Test
    void sigtermLetsTheRunningJobFinishAndBeReportedBeforeTheExecutorExits(KeylessPlatform platform) throws Exception {
        Keyless keyless = new Keyless(platform);
        Keyless.Org org = keyless.createOrg();
        Process executor = platform.startExecutor("executor-sigterm");
        try {
            JsonNode pipeline = keyless.trigger(
                    org,
                    List.of(Keyless.job(
                            "slow", "echo slow-job-started; sleep 5; echo slow-job-done", List.of(), List.of())));
            UUID slow = Keyless.jobId(pipeline, "slow");
            awaitLog(platform, "slow-job-started");

            executor.destroy();

            assertTrue(executor.waitFor(60, TimeUnit.SECONDS), "the executor exits once the job is done");
            String log = Files.readString(platform.log("executor-sigterm"));
            assertTrue(log.contains("slow-job-done"), () -> "the job ran to its end:\n" + log);
            JsonNode job = keyless.job(org, slow);
            assertEquals("success", job.get("status").asText().toLowerCase(), () -> "the job was reported: " + job);
            assertEquals(0, job.get("exit_code").asInt());
        } finally {
            KeylessPlatform.stop(executor);
        }
    }

    private static void awaitLog(KeylessPlatform platform, String marker) {
        await("the executor prints " + marker)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(platform.log("executor-sigterm"))
                        && Files.readString(platform.log("executor-sigterm")).contains(marker));
    }
}
