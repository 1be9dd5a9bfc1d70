package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(ContextServiceContractStub.class)
class OnDemandTokenResourceTest {

    /** Has an audience allow-list in the test profile: sts.amazonaws.com and vault.example. */
    private static final UUID RESTRICTED_ORG = UUID.fromString("00000000-0000-4000-8000-0000000000a1");

    private static Response ask(TestJobs.Job job, String credential, Object body) {
        return given().header("Authorization", "Bearer " + credential)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId());
    }

    private static TestJobs.Job runningJob(UUID org) {
        TestJobs.Job job = TestJobs.newJob(org, 1);
        TestJobs.resolvedJobTokens(job);
        return job;
    }

    @Test
    void jobGetsATokenForItsChosenAudienceAndLifetime() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        String credential = TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                .expiresIn(Duration.ofHours(2))
                .sign();
        Response response = ask(job, credential, Map.of("audience", "sts.amazonaws.com", "ttl_seconds", 600));
        response.then().statusCode(200).header("Cache-Control", "no-store").body("expires_at", notNullValue());
        String token = response.jsonPath().getString("token");
        Map<String, Object> claims = JwtParts.claims(token);
        assertEquals("sts.amazonaws.com", claims.get("aud"));
        assertEquals(600, (Integer) claims.get("exp") - (Integer) claims.get("iat"));
        assertEquals(TestJobs.issuer(job.orgId()), claims.get("iss"));
        assertTrue(claims.get("sub").toString().endsWith("/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main"));
        assertEquals(job.jobId().toString(), claims.get("oidc.keyless.dev/job-id"));
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(job.orgId()))
                .queryParam("job_id", job.jobId())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(200)
                .body("findAll { it.kind == 'on_demand' }", hasSize(1))
                .body("find { it.kind == 'on_demand' }.aud", equalTo("sts.amazonaws.com"));
    }

    @Test
    void lifetimeIsCappedByTheJobsRemainingTime() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        String shortLived = TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                .expiresIn(Duration.ofMinutes(5))
                .sign();
        String token = ask(job, shortLived, Map.of("audience", "vault", "ttl_seconds", 3600))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("token");
        Map<String, Object> claims = JwtParts.claims(token);
        assertTrue((Integer) claims.get("exp") - (Integer) claims.get("iat") <= 300);
    }

    @Test
    void callerCannotSetReservedNamespacedOrUnknownClaims() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        for (String field : List.of(
                "iss",
                "sub",
                "exp",
                "jti",
                "oidc.keyless.dev/job-id",
                "oidc.keyless.dev/project-id",
                "claims",
                "aud")) {
            ask(job, job.credential(), Map.of("audience", "vault", field, "x"))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString(field));
        }
    }

    @Test
    void badAudienceOrLifetimeIsA400Problem() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        List<Object> bodies = List.of(
                Map.of(),
                Map.of("audience", ""),
                Map.of("audience", 42),
                Map.of("audience", "has space"),
                Map.of("audience", "x".repeat(257)),
                Map.of("audience", "vault", "ttl_seconds", 5),
                Map.of("audience", "vault", "ttl_seconds", 999_999),
                Map.of("audience", "vault", "ttl_seconds", "600"),
                Map.of("audience", "vault", "ttl_seconds", 60.5),
                List.of("vault"));
        for (Object body : bodies) {
            ask(job, job.credential(), body).then().statusCode(400).contentType("application/problem+json");
        }
        ask(job, job.credential(), "{not json")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(Matchers.not(containsString("Exception")));
    }

    @Test
    void orgAllowListLimitsAudiences() {
        TestJobs.Job job = runningJob(RESTRICTED_ORG);
        ask(job, job.credential(), Map.of("audience", "vault.example")).then().statusCode(200);
        ask(job, job.credential(), Map.of("audience", "evil.example"))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void tooManyTokensForOneJobGet429WithRetryAfter() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        for (int i = 0; i < 5; i++) {
            ask(job, job.credential(), Map.of("audience", "vault")).then().statusCode(200);
        }
        ask(job, job.credential(), Map.of("audience", "vault"))
                .then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .contentType("application/problem+json");
        TestJobs.Job other = runningJob(UUID.randomUUID());
        ask(other, other.credential(), Map.of("audience", "vault")).then().statusCode(200);
    }

    @Test
    void finishedJobGetsNoMoreTokens() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        TestJobs.finish(job);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        ask(job, job.credential(), Map.of("audience", "vault")).statusCode() == 401);
    }

    @Test
    void jobWithoutContextGetsNoToken() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 0);
        TestJobs.resolve(job);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        ask(job, job.credential(), Map.of("audience", "vault")).statusCode() == 404);
    }

    @Test
    void hostileOrForeignCredentialsAreRefused() {
        TestJobs.Job job = runningJob(UUID.randomUUID());
        for (String credential : HostileCredentials.forJob(job)) {
            ask(job, credential, Map.of("audience", "vault"))
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
        TestJobs.Job other = runningJob(UUID.randomUUID());
        ask(job, other.credential(), Map.of("audience", "vault")).then().statusCode(403);
        ask(job, TestTokens.jobCredential(job.jobId(), UUID.randomUUID()), Map.of("audience", "vault"))
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(Map.of("audience", "vault"))
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(401);
        ask(job, TestTokens.platformAdmin(), Map.of("audience", "vault")).then().statusCode(401);
    }
}
