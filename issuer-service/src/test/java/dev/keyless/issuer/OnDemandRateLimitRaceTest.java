package dev.keyless.issuer;

import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The on-demand rate limit holds under parallel requests of one job: counting the job's recent tokens and
 * recording a new one are one serialized step per job, so 200 requests sent at once get exactly the limit.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(ContextServiceContractStub.class)
class OnDemandRateLimitRaceTest {

    private static final int PARALLEL = 200;
    private static final int ROUNDS = 3;

    @Inject
    IssuerConfig config;

    @Test
    void twoHundredParallelMintsOfOneJobServeExactlyTheRateLimitAndRefuseTheRestWith429() {
        int limit = config.onDemand().rateLimit();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (int round = 0; round < ROUNDS; round++) {
            TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
            TestJobs.resolvedJobTokens(job);
            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            "http://localhost:" + RestAssured.port + "/api/v1/jobs/" + job.jobId() + "/oidc-tokens"))
                    .header("Authorization", "Bearer " + job.credential())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"audience\":\"sts.amazonaws.com\"}"))
                    .build();

            List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, PARALLEL)
                    .mapToObj(i -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                    .toList();
            List<HttpResponse<String>> responses =
                    inFlight.stream().map(CompletableFuture::join).toList();

            long served = responses.stream().filter(r -> r.statusCode() == 200).count();
            List<HttpResponse<String>> refused =
                    responses.stream().filter(r -> r.statusCode() != 200).toList();
            assertEquals(limit, served, "round " + round + ": tokens served of " + PARALLEL + " parallel requests");
            for (HttpResponse<String> response : refused) {
                assertEquals(429, response.statusCode(), response.body());
                assertTrue(response.headers().firstValue("Retry-After").isPresent(), "429 without Retry-After");
            }
            given().header("Authorization", "Bearer " + TestTokens.orgAdmin(job.orgId()))
                    .queryParam("job_id", job.jobId())
                    .queryParam("limit", 500)
                    .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                    .then()
                    .statusCode(200)
                    .body("findAll { it.kind == 'on_demand' }", hasSize(limit));
        }
    }
}
