package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token request that arrives before the job's resolution reached the issuer waits for that commit and is
 * answered when it lands, instead of a 503 the caller retries on its own clock.
 */
@QuarkusTest
@TestProfile(ResolutionWaitTest.LongResolutionWait.class)
@QuarkusTestResource(KeylessTestResource.class)
class ResolutionWaitTest {

    public static class LongResolutionWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyless.internal-api.resolution-wait", "20s");
        }
    }

    @Test
    void aTokenRequestWaitingForTheResolutionIsAnsweredSoonAfterTheResolutionCommits() {
        // this profile starts a fresh application: let its Kafka consumer join its group before timing anything
        TestJobs.Job first = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolve(first);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> TestJobs.pullTokens(first).statusCode() == 200);

        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        CompletableFuture<Response> pending = CompletableFuture.supplyAsync(() -> TestJobs.pullTokens(job));
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertFalse(pending.isDone(), "answered before the job was resolved");

        long resolvedAt = System.nanoTime();
        TestJobs.resolve(job);
        Response response = pending.join();
        long tookMillis = (System.nanoTime() - resolvedAt) / 1_000_000;

        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(tookMillis < 8_000, "answered " + tookMillis + " ms after the resolution was sent");
    }
}
