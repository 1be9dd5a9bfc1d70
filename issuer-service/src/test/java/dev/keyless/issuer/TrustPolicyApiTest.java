package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Issue 13 end to end in the issuer: the claims preview matches a real job's tokens, subject templates roll out at
 * their activate_at, and the simulator denies a fork pull request with the reason.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(ContextServiceContractStub.class)
class TrustPolicyApiTest {

    private static final String NS = "oidc.keyless.dev";
    /** Claims that only a real job has or that depend on the moment: everything else must be identical. */
    private static final Set<String> PER_TOKEN =
            Set.of("jti", "iat", "nbf", "exp", NS + "/pipeline-id", NS + "/workflow-id", NS + "/job-id");

    private static RequestSpecification asAdmin(UUID orgId) {
        return given().header("Authorization", "Bearer " + TestTokens.orgAdmin(orgId))
                .contentType(ContentType.JSON);
    }

    private static Map<String, Object> wouldBe(TestJobs.Job job, String branch, boolean fork) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("branch", branch);
        request.put("user_id", job.userId());
        request.put("contexts", List.of("aws-prod"));
        request.put("job_name", "deploy");
        request.put("fork_pull_request", fork);
        request.put("audience", "sts.amazonaws.com");
        return request;
    }

    private static Response preview(TestJobs.Job job, Map<String, Object> request) {
        return asAdmin(job.orgId()).body(request).post("/api/v1/projects/{project}/oidc/preview", job.projectId());
    }

    private static Map<String, Object> withoutPerTokenClaims(Map<String, Object> claims) {
        Map<String, Object> rest = new HashMap<>(claims);
        rest.keySet().removeAll(PER_TOKEN);
        return rest;
    }

    @Test
    void thePreviewGivesTheClaimsARealJobOfTheSameShapeReceivesClaimByClaim() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        Response real = TestJobs.resolvedJobTokens(job);
        ContextServiceContractStub.allowPreviews(job.orgId(), job.contextIds());

        Response preview = preview(job, wouldBe(job, "main", false));
        preview.then().statusCode(200).body("gets_tokens", equalTo(true));

        Map<String, Object> realV1 = JwtParts.claims(real.path("v1"));
        Map<String, Object> realV2 = JwtParts.claims(real.path("v2"));
        assertEquals(withoutPerTokenClaims(realV1), withoutPerTokenClaims(preview.path("v1")));
        assertEquals(withoutPerTokenClaims(realV2), withoutPerTokenClaims(preview.path("v2")));
        assertEquals("sts.amazonaws.com", preview.path("on_demand.aud"));
        assertEquals(realV2.get("sub"), preview.path("on_demand.sub"));
    }

    @Test
    void aForkPullRequestPreviewGetsNoTokenAndTheSimulatorDeniesItWithTheReason() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        String reason = "context 'aws-prod' is restricted and jobs from forked pull requests may not use it";
        ContextServiceContractStub.denyPreviews(job.orgId(), "aws-prod", reason);

        preview(job, wouldBe(job, "pull/42", true))
                .then()
                .statusCode(200)
                .body("gets_tokens", equalTo(false))
                .body("reason", equalTo(reason))
                .body("v2.sub", containsString("/vcs-ref/refs/heads/pull/42"));

        String provider = TestJobs.issuer(job.orgId()).replaceFirst("^https?://", "");
        String mainSub = "org/" + job.orgId() + "/project/" + job.projectId() + "/user/" + job.userId()
                + "/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main";
        Map<String, Object> policy = Map.of(
                "Version",
                "2012-10-17",
                "Statement",
                List.of(Map.of(
                        "Effect",
                        "Allow",
                        "Principal",
                        Map.of("Federated", "arn:aws:iam::123456789012:oidc-provider/" + provider),
                        "Action",
                        "sts:AssumeRoleWithWebIdentity",
                        "Condition",
                        Map.of(
                                "StringEquals",
                                Map.of(provider + ":aud", job.orgId().toString(), provider + ":sub", mainSub)))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "aws");
        body.put("policy", policy);
        body.put("project_id", job.projectId());
        body.put("preview", wouldBe(job, "pull/42", true));
        asAdmin(job.orgId())
                .body(body)
                .post("/api/v1/orgs/{org}/oidc/simulate", job.orgId())
                .then()
                .statusCode(200)
                .body("allowed", equalTo(false))
                .body("reason", equalTo("Keyless would mint no token for this job: " + reason))
                .body("conditions.find { it.check.startsWith('" + provider + ":sub') }.passed", equalTo(false));

        // the same policy on the main branch's claims allows, with nothing to lint
        ContextServiceContractStub.allowPreviews(job.orgId(), job.contextIds());
        body.put("preview", wouldBe(job, "main", false));
        asAdmin(job.orgId())
                .body(body)
                .post("/api/v1/orgs/{org}/oidc/simulate", job.orgId())
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true))
                .body("lint", hasSize(0));
    }

    @Test
    void aSubjectTemplateIsInvisibleBeforeActivateAtAndAppliedAfterToV2AndOnDemandOnly() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        ContextServiceContractStub.allowPreviews(job.orgId(), job.contextIds());
        String defaultV2 = "org/" + job.orgId() + "/project/" + job.projectId() + "/user/" + job.userId()
                + "/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main";
        String templated = "project-id:" + job.projectId() + ":vcs-ref:refs/heads/main";
        // whole seconds, as the issuer keeps it (a token's iat is whole seconds)
        Instant activateAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);

        asAdmin(job.orgId())
                .body(Map.of("claim_keys", List.of("project-id", "vcs-ref"), "activate_at", activateAt.toString()))
                .post("/api/v1/orgs/{org}/oidc/subject-templates", job.orgId())
                .then()
                .statusCode(201)
                .body("version", equalTo(1))
                .body("status", equalTo("pending"))
                .body("activate_at", equalTo(activateAt.toString()));

        // before activate_at: tokens unchanged, the preview shows the recent job's sub now and after
        assertEquals(defaultV2, JwtParts.claims(onDemand(job)).get("sub"));
        preview(job, wouldBe(job, "main", false))
                .then()
                .statusCode(200)
                .body("v2.sub", equalTo(defaultV2))
                .body(
                        "subject_rollouts[0].recent_jobs[0].job_id",
                        equalTo(job.jobId().toString()))
                .body("subject_rollouts[0].recent_jobs[0].sub_now", equalTo(defaultV2))
                .body("subject_rollouts[0].recent_jobs[0].sub_after", equalTo(templated));

        await().atMost(Duration.ofSeconds(20)).until(() -> !Instant.now().isBefore(activateAt));
        assertEquals(templated, JwtParts.claims(onDemand(job)).get("sub"));
        Response after = preview(job, wouldBe(job, "main", false));
        assertEquals(templated, after.path("v2.sub"));
        assertNotEquals(templated, after.path("v1.sub"));
        asAdmin(job.orgId())
                .get("/api/v1/orgs/{org}/oidc/subject-templates", job.orgId())
                .then()
                .statusCode(200)
                .body("[0].status", equalTo("active"))
                .body("[0].created_by", containsString("admin:"));
    }

    @Test
    void aTemplateThatCanExceed127BytesIsRefusedNamingTheKeyThatPushesItOver() {
        UUID org = UUID.randomUUID();
        asAdmin(org)
                .body(Map.of("claim_keys", List.of("org-id", "project-id", "user-id")))
                .post("/api/v1/orgs/{org}/oidc/subject-templates", org)
                .then()
                .statusCode(422)
                .body("detail", containsString("'user-id' pushes it over"));
        asAdmin(org)
                .body(Map.of("claim_keys", List.of("repository")))
                .post("/api/v1/orgs/{org}/oidc/subject-templates", org)
                .then()
                .statusCode(400);
    }

    @Test
    void anotherOrgsAdminCanNeitherPreviewNorSimulateNorChangeTemplates() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolvedJobTokens(job);
        UUID other = UUID.randomUUID();
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(other))
                .contentType(ContentType.JSON)
                .body(wouldBe(job, "main", false))
                .post("/api/v1/projects/{p}/oidc/preview", job.projectId())
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(other))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "aws", "policy", Map.of("Statement", List.of()), "claims", Map.of("sub", "x")))
                .post("/api/v1/orgs/{org}/oidc/simulate", job.orgId())
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.orgAdmin(other))
                .contentType(ContentType.JSON)
                .body(Map.of("claim_keys", List.of("project-id")))
                .post("/api/v1/projects/{p}/oidc/subject-templates", job.projectId())
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(wouldBe(job, "main", false))
                .post("/api/v1/projects/{p}/oidc/preview", job.projectId())
                .then()
                .statusCode(401);
    }

    private static String onDemand(TestJobs.Job job) {
        return given().header("Authorization", "Bearer " + job.credential())
                .contentType(ContentType.JSON)
                .body(Map.of("audience", "sts.amazonaws.com"))
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(200)
                .extract()
                .path("token");
    }
}
