package dev.keyless.scheduler.executor;

import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.keyless.scheduler.support.Api.claim;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A waiting claim wakes on the commit that makes a job claimable. The claim's periodic look is set to an hour, so
 * a claim that answers within seconds of that commit was woken by it (without the wake-up it answers only at the
 * end of its 20 s wait).
 */
@QuarkusTest
@TestProfile(ClaimWakeUpTest.HourLongClaimPoll.class)
@QuarkusTestResource(KeylessTestResource.class)
class ClaimWakeUpTest {

    private static final Duration WOKEN_WITHIN = Duration.ofSeconds(8);

    public static class HourLongClaimPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyless.scheduler.claim.poll-interval", "1h",
                    "keyless.scheduler.heartbeat-timeout", "2s",
                    "keyless.scheduler.reaper-interval", "1s",
                    "keyless.scheduler.lost-executor-retries", "1");
        }
    }

    private record Answer(ExtractableResponse<Response> response, long atNanos) {}

    private static CompletableFuture<Answer> claimInBackground(Fixture fixture) {
        return CompletableFuture.supplyAsync(() -> {
            ExtractableResponse<Response> response = claim(fixture, 20).extract();
            return new Answer(response, System.nanoTime());
        });
    }

    /** Lets the claim make its first look and start waiting (nothing is claimable yet, so it cannot return). */
    private static void whileItWaits(CompletableFuture<Answer> pending) {
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertTrue(!pending.isDone(), "the claim returned before anything was claimable");
    }

    @Test
    void aWaitingClaimReturnsTheJobSoonAfterItsResolutionCommitsThoughTheClaimPollIsAnHour() {
        Fixture fixture = Api.fixture();
        UUID jobId = Api.triggerJobs(fixture, List.of(Api.job("build", "make", List.of(), List.of())))
                .get("build");
        CompletableFuture<Answer> pending = claimInBackground(fixture);
        whileItWaits(pending);

        long resolvedAt = System.nanoTime();
        KafkaEvents.resolved(jobId, fixture.orgId());

        Answer answer = pending.join();
        assertEquals(200, answer.response().statusCode());
        assertEquals(jobId.toString(), answer.response().path("job_id"));
        long tookMillis = (answer.atNanos() - resolvedAt) / 1_000_000;
        assertTrue(tookMillis < WOKEN_WITHIN.toMillis(), "claim answered " + tookMillis + " ms after the resolution");
    }

    @Test
    void aWaitingClaimReturnsAJobQueuedAgainAfterItsExecutorWasLost() {
        Fixture fixture = Api.fixture();
        UUID jobId = Api.triggerJobs(fixture, List.of(Api.job("build", "make", List.of(), List.of())))
                .get("build");
        KafkaEvents.resolved(jobId, fixture.orgId());
        // the first executor claims and then goes silent: the reaper queues the job again after ~2 s
        claim(fixture, 20).statusCode(200);
        long claimedAt = System.nanoTime();
        CompletableFuture<Answer> pending = claimInBackground(fixture);

        Answer answer = pending.join();
        assertEquals(200, answer.response().statusCode());
        assertEquals(jobId.toString(), answer.response().path("job_id"));
        long tookMillis = (answer.atNanos() - claimedAt) / 1_000_000;
        // heartbeat timeout 2 s + reaper interval 1 s, then the wake-up; without it the claim waits its 20 s
        assertTrue(
                tookMillis < 2_000 + 1_000 + WOKEN_WITHIN.toMillis(),
                "second claim answered " + tookMillis + " ms after the first claim");
    }
}
