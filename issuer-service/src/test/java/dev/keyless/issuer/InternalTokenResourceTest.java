package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class InternalTokenResourceTest {

    private static final String NS = "oidc.keyless.dev";

    @Test
    void resolvedJobGetsV1AndV2TokensWithEveryDesignClaim() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 2);
        Response pull = TestJobs.resolvedJobTokens(job);
        pull.then().statusCode(200).header("Cache-Control", "no-store");
        String v1 = pull.jsonPath().getString("v1");
        String v2 = pull.jsonPath().getString("v2");
        Instant expiresAt = Instant.parse(pull.jsonPath().getString("expires_at"));

        String v1Sub = "org/" + job.orgId() + "/project/" + job.projectId() + "/user/" + job.userId();
        for (String token : List.of(v1, v2)) {
            Map<String, Object> header = JwtParts.header(token);
            assertEquals("RS256", header.get("alg"));
            assertEquals("JWT", header.get("typ"));
            assertTrue(header.get("kid") instanceof String);
            Map<String, Object> claims = JwtParts.claims(token);
            assertEquals(TestJobs.issuer(job.orgId()), claims.get("iss"));
            assertEquals(job.orgId().toString(), claims.get("aud"));
            assertTrue(
                    claims.get("iat") instanceof Integer
                            && claims.get("exp") instanceof Integer
                            && claims.get("nbf") instanceof Integer,
                    "integer times");
            assertEquals(3600, (Integer) claims.get("exp") - (Integer) claims.get("iat"));
            assertEquals(claims.get("iat"), claims.get("nbf"));
            assertEquals(expiresAt.getEpochSecond(), ((Integer) claims.get("exp")).longValue());
            assertEquals(job.projectId().toString(), claims.get(NS + "/project-id"));
            assertEquals(job.contextIds().stream().map(UUID::toString).toList(), claims.get(NS + "/context-ids"));
            assertEquals("github.com/acme/app", claims.get(NS + "/vcs-origin"));
            assertEquals("refs/heads/main", claims.get(NS + "/vcs-ref"));
            assertEquals(false, claims.get(NS + "/ssh-rerun"));
            assertEquals(job.pipelineId().toString(), claims.get(NS + "/pipeline-id"));
            assertEquals(job.workflowId().toString(), claims.get(NS + "/workflow-id"));
            assertEquals(job.jobId().toString(), claims.get(NS + "/job-id"));
            assertTrue(token.length() < 20_000);
        }
        assertEquals(v1Sub, JwtParts.claims(v1).get("sub"));
        assertTrue(v1Sub.getBytes(StandardCharsets.UTF_8).length <= 127);
        assertEquals(
                v1Sub + "/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main",
                JwtParts.claims(v2).get("sub"));
        assertNotEquals(JwtParts.claims(v1).get("jti"), JwtParts.claims(v2).get("jti"));
    }

    @Test
    void repeatedPullsAreServedFromTheCache() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        String first = TestJobs.resolvedJobTokens(job).jsonPath().getString("v1");
        assertEquals(first, TestJobs.pullTokens(job).jsonPath().getString("v1"));
    }

    @Test
    void jobWithoutContextsGets404Problem() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 0);
        TestJobs.resolve(job);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TestJobs.pullTokens(job).statusCode() == 404);
        TestJobs.pullTokens(job)
                .then()
                .contentType("application/problem+json")
                .body("detail", containsString("no context"));
    }

    @Test
    void jobNotResolvedYetGets503WithRetryAfter() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.pullTokens(job)
                .then()
                .statusCode(503)
                .header("Retry-After", "1")
                .contentType("application/problem+json");
    }

    @Test
    void finishedJobIsRefusedAndItsTokensAreGone() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        TestJobs.finish(job);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TestJobs.pullTokens(job).statusCode() == 401);
        TestJobs.pullTokens(job).then().contentType("application/problem+json").body(not(containsString("eyJ")));
    }

    @Test
    void aRevokedCredentialGetsNoTokenWhileTheJobsNewCredentialStillDoes() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        String lost = job.credential();
        String replacement = job.credential();
        TestJobs.revoke(job, TestTokens.claim(lost, "jti"));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> TestJobs.pullTokens(job, lost).statusCode() == 401);
        TestJobs.pullTokens(job, lost)
                .then()
                .contentType("application/problem+json")
                .body("detail", containsString("revoked"))
                .body(not(containsString("eyJ")));
        given().header("Authorization", "Bearer " + lost)
                .contentType("application/json")
                .body(Map.of("audience", "sts.amazonaws.com"))
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(401);
        TestJobs.pullTokens(job, replacement).then().statusCode(200);
        given().header("Authorization", "Bearer " + replacement)
                .contentType("application/json")
                .body(Map.of("audience", "sts.amazonaws.com"))
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(200);
    }

    @Test
    void jobFinishedBeforeItsResolutionArrivesNeverGetsTokens() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.finish(job);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TestJobs.pullTokens(job).statusCode() == 401);
        TestJobs.resolve(job);
        TestJobs.Job probe = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(probe); // the later event has been consumed by now
        TestJobs.pullTokens(job).then().statusCode(401);
    }

    @Test
    void missingOrWrongServiceTokenIsRefused() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        given().header("Authorization", "Bearer " + job.credential())
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("X-Keyless-Service-Token", "test-internal-tokeN")
                .header("Authorization", "Bearer " + job.credential())
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(401);
    }

    @Test
    void serviceTokenAloneIsNotEnough() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        given().header("X-Keyless-Service-Token", TestJobs.SERVICE_TOKEN)
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void credentialOfAnotherJobOrOrgIsRefused() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.Job other = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        given().header("X-Keyless-Service-Token", TestJobs.SERVICE_TOKEN)
                .header("Authorization", "Bearer " + other.credential())
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        String otherOrg = TestTokens.jobCredential(job.jobId(), UUID.randomUUID());
        given().header("X-Keyless-Service-Token", TestJobs.SERVICE_TOKEN)
                .header("Authorization", "Bearer " + otherOrg)
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(403);
    }

    @Test
    void hostileJobCredentialsAreRefused() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        for (String credential : HostileCredentials.forJob(job)) {
            given().header("X-Keyless-Service-Token", TestJobs.SERVICE_TOKEN)
                    .header("Authorization", "Bearer " + credential)
                    .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void malformedJobIdGets404() {
        given().header("X-Keyless-Service-Token", TestJobs.SERVICE_TOKEN)
                .header("Authorization", "Bearer x")
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", "not-a-job")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void everyMintedTokenIsAuditedAndListableByTheOrgAdminOnly() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        Response pull = TestJobs.resolvedJobTokens(job);
        Map<String, Object> v1 = JwtParts.claims(pull.jsonPath().getString("v1"));
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(job.orgId()))
                .queryParam("job_id", job.jobId())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("find { it.kind == 'v1' }.jti", equalTo(v1.get("jti")))
                .body("find { it.kind == 'v1' }.sub", equalTo(v1.get("sub")))
                .body("find { it.kind == 'v1' }.aud", equalTo(job.orgId().toString()))
                .body(
                        "find { it.kind == 'v1' }.kid",
                        equalTo(JwtParts.header(pull.jsonPath().getString("v1")).get("kid")))
                .body("find { it.kind == 'v1' }.job_id", equalTo(job.jobId().toString()))
                .body(
                        "find { it.kind == 'v1' }.project_id",
                        equalTo(job.projectId().toString()))
                .body(not(containsString("eyJ")));
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(job.orgId()))
                .queryParam("from", Instant.now().minusSeconds(600).toString())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(200)
                .body("$", hasSize(2));
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(UUID.randomUUID()))
                .queryParam("job_id", job.jobId())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().queryParam("job_id", job.jobId())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + job.credential())
                .queryParam("job_id", job.jobId())
                .get("/api/v1/orgs/{org}/oidc-tokens", job.orgId())
                .then()
                .statusCode(401);
    }

    @Test
    void auditQueryNeedsAJobOrATimeRangeAndValidValues() {
        UUID org = UUID.randomUUID();
        String admin = "Bearer " + TestTokens.orgAdmin(org);
        given().header("Authorization", admin)
                .get("/api/v1/orgs/{org}/oidc-tokens", org)
                .then()
                .statusCode(400);
        given().header("Authorization", admin)
                .queryParam("job_id", "nope")
                .get("/api/v1/orgs/{org}/oidc-tokens", org)
                .then()
                .statusCode(400);
        given().header("Authorization", admin)
                .queryParam("from", "yesterday")
                .get("/api/v1/orgs/{org}/oidc-tokens", org)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", admin)
                .queryParam("from", "2026-01-02T00:00:00Z")
                .queryParam("to", "2026-01-01T00:00:00Z")
                .get("/api/v1/orgs/{org}/oidc-tokens", org)
                .then()
                .statusCode(400);
    }
}
