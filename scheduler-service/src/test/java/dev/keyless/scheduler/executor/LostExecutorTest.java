package dev.keyless.scheduler.executor;

import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobEvent;
import dev.keyless.events.JobFinished;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.scheduler.support.Api.claim;
import static dev.keyless.scheduler.support.Api.status;
import static dev.keyless.scheduler.support.Api.withCredential;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(LostExecutorTest.FastReaper.class)
@QuarkusTestResource(KeylessTestResource.class)
class LostExecutorTest {

    /** Executors count as lost after 2 s of silence, and a lost job is retried once. */
    public static class FastReaper implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyless.scheduler.heartbeat-timeout", "2s",
                    "keyless.scheduler.reaper-interval", "1s",
                    "keyless.scheduler.lost-executor-retries", "1");
        }
    }

    private static UUID claimableJob(Fixture fixture, int timeoutSeconds) {
        Map<String, Object> job = new HashMap<>(Api.job("build", "make", List.of(), List.of()));
        job.put("timeout_seconds", timeoutSeconds);
        UUID jobId = Api.triggerJobs(fixture, List.of(job)).get("build");
        KafkaEvents.resolved(jobId, fixture.orgId());
        return jobId;
    }

    @Test
    void jobOfASilentExecutorIsQueuedAgainOnceThenFailed() {
        Fixture fixture = Api.fixture();
        UUID jobId = claimableJob(fixture, 600);
        String first = claim(fixture, 20).statusCode(200).extract().path("credential");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("queued"));
        Api.admin()
                .get("/api/v1/jobs/{id}", jobId)
                .then()
                .body("status_reason", equalTo("its executor stopped sending heartbeats; queued again"));
        // the lost executor's credential no longer works, even if it comes back
        withCredential(first)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);

        String second = claim(fixture, 20)
                .statusCode(200)
                .body("job_id", equalTo(jobId.toString()))
                .extract()
                .path("credential");
        withCredential(second)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("failed"));
        Api.admin()
                .get("/api/v1/jobs/{id}", jobId)
                .then()
                .body("status_reason", equalTo("the executor stopped sending heartbeats"))
                .body("claims", equalTo(2));
        withCredential(second)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);

        List<JobEvent> events = KafkaEvents.awaitEach(List.of(jobId), JobFinished.class);
        JobFinished finished = (JobFinished) events.stream()
                .filter(JobFinished.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("failed", finished.status());
        // the other services learn that the first credential is dead; the second dies with JobFinished
        List<JobCredentialRevoked> revoked = events.stream()
                .filter(JobCredentialRevoked.class::isInstance)
                .map(JobCredentialRevoked.class::cast)
                .distinct()
                .toList();
        assertEquals(1, revoked.size(), "one revocation, for the lost executor's credential");
        assertEquals(TestTokens.claim(first, "jti"), revoked.get(0).credentialId());
        assertNotEquals(TestTokens.claim(second, "jti"), revoked.get(0).credentialId());
        assertEquals(fixture.orgId(), revoked.get(0).orgId());
        assertTrue(events.indexOf(revoked.get(0)) < events.indexOf(finished), "revoked before finished");
    }

    @Test
    void heartbeatingJobIsFailedOnceItsTimeoutPasses() throws Exception {
        Fixture fixture = Api.fixture();
        UUID jobId = claimableJob(fixture, 3);
        String credential = claim(fixture, 20).statusCode(200).extract().path("credential");
        // the executor keeps heartbeating: the timeout, not a missed heartbeat, must end the job
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    withCredential(credential).post("/api/v1/jobs/{jobId}/heartbeat", jobId);
                    return !status(jobId).equals("running");
                });
        Api.admin()
                .get("/api/v1/jobs/{id}", jobId)
                .then()
                .body("status", equalTo("failed"))
                .body("status_reason", equalTo("the job exceeded its timeout of 3 seconds"));
    }
}
