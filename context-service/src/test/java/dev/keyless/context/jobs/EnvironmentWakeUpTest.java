package dev.keyless.context.jobs;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
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

import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An environment pull waiting for the job's resolution wakes on the commit of that resolution. The pull's
 * periodic look is set to an hour and its wait to 20 s, so a pull served within seconds of the job's arrival was
 * woken by the commit (without the wake-up it is served only when its 20 s wait runs out).
 */
@QuarkusTest
@TestProfile(EnvironmentWakeUpTest.HourLongPullPoll.class)
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class EnvironmentWakeUpTest {

    public static class HourLongPullPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyless.context.environment.poll-interval", "1h",
                    "keyless.context.environment.max-wait", "20s");
        }
    }

    private record Answer(ExtractableResponse<Response> response, long atNanos) {}

    @Test
    void aPullWaitingForResolutionIsServedSoonAfterTheResolutionCommitsThoughThePollIsAnHour() {
        UUID org = UUID.randomUUID();
        String name = uniqueName("woken");
        UUID context = createContext(org, name);
        setVariable(org, context, "WOKEN", "env-secret-woken");
        JobStarted job = JobEvents.started(org, UUID.randomUUID(), List.of(name));
        IssuerContractStub.tokens(job.jobId(), "v1-w", "v2-w");
        String credential = TestTokens.jobCredential(job.jobId(), org);

        CompletableFuture<Answer> pending = CompletableFuture.supplyAsync(() -> new Answer(
                given().auth()
                        .oauth2(credential)
                        .get("/api/v1/jobs/{job}/environment", job.jobId())
                        .then()
                        .extract(),
                System.nanoTime()));
        // the pull makes its first look (the job is unknown yet) and waits
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertFalse(pending.isDone(), "the pull answered before the job existed");

        long sentAt = System.nanoTime();
        JobEvents.resolved(job);

        Answer answer = pending.join();
        assertEquals(200, answer.response().statusCode(), answer.response().asString());
        assertEquals("env-secret-woken", answer.response().path("variables.WOKEN"));
        long tookMillis = (answer.atNanos() - sentAt) / 1_000_000;
        assertTrue(tookMillis < 8_000, "pull served " + tookMillis + " ms after the job was sent");
    }
}
