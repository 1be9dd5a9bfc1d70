package dev.keyless.scheduler.executor;

import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.HostileTokens;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.keyless.scheduler.support.Api.claim;
import static dev.keyless.scheduler.support.Api.executor;
import static dev.keyless.scheduler.support.Api.job;
import static dev.keyless.scheduler.support.Api.withCredential;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class ExecutorApiTest {

    /** Triggers one job per name, all resolved, and waits until they are all claimable. */
    private static List<UUID> claimableJobs(Fixture fixture, String... names) {
        List<UUID> ids = new ArrayList<>();
        for (String name : names) {
            UUID id = Api.triggerJobs(fixture, List.of(job(name, "echo " + name, List.of(), List.of())))
                    .get(name);
            KafkaEvents.resolved(id, fixture.orgId());
            ids.add(id);
        }
        // resolutions of different jobs may be consumed in any order
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> Api.admin()
                .get("/api/v1/jobs/{id}", id)
                .then()
                .extract()
                .<Boolean>path("contexts_resolved")));
        return ids;
    }

    private static String claimCredential(Fixture fixture, UUID expectedJob) {
        return claim(fixture, 20)
                .statusCode(200)
                .body("job_id", equalTo(expectedJob.toString()))
                .header("Cache-Control", "no-store")
                .extract()
                .path("credential");
    }

    @Test
    void claimWithoutOrWithAWrongExecutorTokenIsRefused() {
        given().post("/api/v1/executor/claim").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2("wrong-token")
                .post("/api/v1/executor/claim")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the executor token is not valid"));
        given().auth()
                .oauth2(TestTokens.platformAdmin())
                .post("/api/v1/executor/claim")
                .then()
                .statusCode(401);
        executor()
                .queryParam("wait_seconds", 31)
                .post("/api/v1/executor/claim")
                .then()
                .statusCode(400);
        executor()
                .queryParam("wait_seconds", -1)
                .post("/api/v1/executor/claim")
                .then()
                .statusCode(400);
    }

    @Test
    void jobsAreClaimedOldestFirst() {
        Fixture fixture = Api.fixture();
        List<UUID> jobs = claimableJobs(fixture, "first", "second", "third");
        for (UUID expected : jobs) {
            claimCredential(fixture, expected);
        }
        claim(fixture, 0).statusCode(204);
    }

    @Test
    void longPollingClaimReturnsTheJobThatBecomesClaimableWhileItWaits() throws Exception {
        Fixture fixture = Api.fixture();
        UUID jobId = Api.triggerJobs(fixture, List.of(job("build", "make", List.of(), List.of())))
                .get("build");
        CompletableFuture<ExtractableResponse<Response>> waiting =
                CompletableFuture.supplyAsync(() -> claim(fixture, 25).extract());
        // deliberately lets time pass: the claim must already be waiting when the job becomes claimable
        Thread.sleep(1500);
        KafkaEvents.resolved(jobId, fixture.orgId());
        ExtractableResponse<Response> claimed = waiting.get();
        assertEquals(200, claimed.statusCode());
        assertEquals(jobId.toString(), claimed.path("job_id"));
    }

    @Test
    void manyExecutorsRacingForOneJobLetExactlyOneWin() throws Exception {
        Fixture fixture = Api.fixture();
        UUID jobId = claimableJobs(fixture, "contended").get(0);
        int racers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return claim(fixture, 10).extract().statusCode();
                }));
            }
            start.countDown();
            int won = 0;
            int empty = 0;
            for (Future<Integer> result : results) {
                int status = result.get();
                if (status == 200) {
                    won++;
                } else if (status == 204) {
                    empty++;
                }
            }
            assertEquals(1, won, "exactly one executor gets the job");
            assertEquals(racers - 1, empty);
        } finally {
            pool.shutdownNow();
        }
        Api.admin()
                .get("/api/v1/jobs/{id}", jobId)
                .then()
                .body("status", equalTo("running"))
                .body("claims", equalTo(1));
    }

    @Test
    void jobCredentialIsRefusedWhenMissingExpiredTamperedForeignOrForAnotherJob() {
        Fixture fixture = Api.fixture();
        List<UUID> jobs = claimableJobs(fixture, "one", "two");
        String credential = claimCredential(fixture, jobs.get(0));
        String otherCredential = claimCredential(fixture, jobs.get(1));
        UUID jobId = jobs.get(0);

        given().post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .body("{}")
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .statusCode(401);
        withCredential(TestTokens.tamper(credential))
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);
        withCredential(HostileTokens.expiredJobCredential(jobId, fixture.orgId()))
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);
        withCredential(HostileTokens.strangerSignedJobCredential(jobId, fixture.orgId()))
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);
        withCredential(HostileTokens.jobCredentialWith(jobId, fixture.orgId(), "aud", "keyless-api"))
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);
        withCredential(TestTokens.platformAdmin())
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401);
        // validly signed for this job but not the credential of its current claim
        withCredential(TestTokens.jobCredential(jobId, fixture.orgId()))
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401)
                .body("detail", containsString("current claim"));
        withCredential(otherCredential)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(403);
        withCredential(otherCredential)
                .body(Map.of("exit_code", 0))
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .statusCode(403);
        Api.admin().get("/api/v1/jobs/{id}", jobId).then().body("status", equalTo("running"));

        withCredential(credential)
                .body("{}")
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .statusCode(400)
                .body("detail", containsString("exit_code"));
        withCredential(credential)
                .body("{\"exit_code\": \"zero\"}")
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        withCredential(credential)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(200);
    }
}
