package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Before each on-demand token the issuer asks context-service which contexts the job may use now: the token names
 * those, a refusal is passed on, and no answer means no token (fail closed).
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(ContextServiceContractStub.class)
class OnDemandContextCheckTest {

    private static final String DELETED =
            "context 'aws-prod' was deleted after the job started; re-run the job " + "once the context exists again";

    private static Response ask(TestJobs.Job job) {
        return ask(job, job.credential());
    }

    private static Response ask(TestJobs.Job job, String credential) {
        return given().header("Authorization", "Bearer " + credential)
                .contentType(ContentType.JSON)
                .body(Map.of("audience", "sts.amazonaws.com"))
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId());
    }

    private static TestJobs.Job runningJob(int contexts) {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), contexts);
        TestJobs.resolvedJobTokens(job);
        return job;
    }

    /** The job's on-demand tokens in the audit trail. */
    private static void assertOnDemandTokensAudited(TestJobs.Job job, int count) {
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(job.orgId()))
                .queryParam("job_id", job.jobId())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(200)
                .body("findAll { it.kind == 'on_demand' }", hasSize(count));
    }

    @Test
    void theTokenNamesTheContextsContextServiceAllowsNowAndTheCallCarriesBothCredentials() {
        TestJobs.Job job = runningJob(2);
        List<UUID> now = List.of(job.contextIds().get(1), job.contextIds().get(0));
        ContextServiceContractStub.allow(job.jobId(), now);

        String credential = job.credential();
        String token =
                ask(job, credential).then().statusCode(200).extract().jsonPath().getString("token");
        assertEquals(
                now.stream().map(UUID::toString).toList(),
                JwtParts.claims(token).get("oidc.keyless.dev/context-ids"));
        ContextServiceContractStub.Call call =
                ContextServiceContractStub.calls(job.jobId()).get(0);
        assertEquals(TestJobs.SERVICE_TOKEN, call.serviceToken());
        assertEquals("Bearer " + credential, call.authorization());
    }

    @Test
    void aJobWhoseContextsContextServiceNoLongerAllowsGets403WithTheReasonAndNoToken() {
        TestJobs.Job job = runningJob(1);
        ask(job).then().statusCode(200);
        ContextServiceContractStub.refuse(job.jobId(), 403, DELETED);

        ask(job).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo(DELETED))
                .body("$", not(hasKey("token")));
        assertOnDemandTokensAudited(job, 1);
    }

    @Test
    void aCredentialContextServiceNoLongerAcceptsGets401() {
        TestJobs.Job job = runningJob(1);
        ContextServiceContractStub.refuse(job.jobId(), 401, "the job has ended; its credential is no longer accepted");

        ask(job).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("the job has ended; its credential is no longer accepted"));
        assertOnDemandTokensAudited(job, 0);
    }

    @Test
    void aContextServiceFailureGets503WithRetryAfterAndNoToken() {
        TestJobs.Job job = runningJob(1);
        ContextServiceContractStub.refuse(job.jobId(), 500, "java.lang.NullPointerException at Foo.bar");

        ask(job).then()
                .statusCode(503)
                .header("Retry-After", "2")
                .contentType("application/problem+json")
                .body("detail", not(containsString("Exception")));
        assertOnDemandTokensAudited(job, 0);
    }

    @Test
    void contextServiceDownGets503WithRetryAfterAndNoTokenUntilItIsBack() {
        TestJobs.Job job = runningJob(1);
        ContextServiceContractStub.down();
        try {
            ask(job).then().statusCode(503).header("Retry-After", "2").contentType("application/problem+json");
            assertOnDemandTokensAudited(job, 0);
        } finally {
            ContextServiceContractStub.up();
        }
        ask(job).then().statusCode(200);
    }
}
