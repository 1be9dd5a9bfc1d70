package dev.keyless.context.jobs;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.context.support.Api.addRestriction;
import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class EnvironmentTest {

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();

    /** A resolved job using one context with one variable. */
    private JobStarted jobWithSecret(String variable, String value) {
        String name = uniqueName("ctx");
        UUID context = createContext(org, name);
        setVariable(org, context, variable, value);
        JobStarted started = JobEvents.started(org, project, List.of(name));
        JobEvents.resolved(started);
        return started;
    }

    private static ValidatableResponse pull(JobStarted job) {
        return given().auth()
                .oauth2(TestTokens.jobCredential(job.jobId(), job.orgId()))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then();
    }

    @Test
    void servesTheVariablesBothTokensAndTheMaskUncached() {
        JobStarted job = jobWithSecret("DB_PASSWORD", "env-secret-1");
        IssuerContractStub.tokens(job.jobId(), "v1-token-a", "v2-token-a");

        pull(job)
                .statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("job_id", equalTo(job.jobId().toString()))
                .body("variables.DB_PASSWORD", equalTo("env-secret-1"))
                .body("variables.CIRCLE_OIDC_TOKEN", equalTo("v1-token-a"))
                .body("variables.CIRCLE_OIDC_TOKEN_V2", equalTo("v2-token-a"))
                .body("mask", containsInAnyOrder("env-secret-1", "v1-token-a", "v2-token-a"));
    }

    @Test
    void theIssuerIsAskedWithTheServiceTokenAndTheJobsOwnCredential() {
        JobStarted job = jobWithSecret("X", "env-secret-2");
        IssuerContractStub.tokens(job.jobId(), "v1-token-b", "v2-token-b");
        String credential = TestTokens.jobCredential(job.jobId(), org);
        given().auth()
                .oauth2(credential)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200);

        IssuerContractStub.Call call = IssuerContractStub.calls(job.jobId()).get(0);
        assertEquals(IssuerContractStub.SERVICE_TOKEN, call.serviceToken());
        assertEquals("Bearer " + credential, call.authorization());
    }

    @Test
    void dotenvIsServedOnAcceptTextPlainOrFormatDotenv() {
        JobStarted job = jobWithSecret("MULTI", "line1\n\"quoted\" $HOME \\");
        IssuerContractStub.tokens(job.jobId(), "v1-token-c", "v2-token-c");
        String credential = TestTokens.jobCredential(job.jobId(), org);
        String expected = "MULTI='line1\n\"quoted\" $HOME \\'\nCIRCLE_OIDC_TOKEN='v1-token-c'\n"
                + "CIRCLE_OIDC_TOKEN_V2='v2-token-c'\n";

        String byAccept = given().auth()
                .oauth2(credential)
                .accept("text/plain")
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .header("Cache-Control", "no-store")
                .extract()
                .asString();
        assertEquals(expected, byAccept);
        String byQuery = given().auth()
                .oauth2(credential)
                .queryParam("format", "dotenv")
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(expected, byQuery);
        given().auth()
                .oauth2(credential)
                .queryParam("format", "yaml")
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(400);
    }

    @Test
    void onANameClashTheFirstContextInTheJobsOrderWins() {
        String first = uniqueName("first");
        String second = uniqueName("second");
        UUID firstId = createContext(org, first);
        UUID secondId = createContext(org, second);
        setVariable(org, firstId, "REGION", "from-first");
        setVariable(org, secondId, "REGION", "from-second");
        setVariable(org, secondId, "ONLY_SECOND", "second-only");
        JobStarted firstThenSecond = JobEvents.started(org, project, List.of(first, second));
        JobStarted secondThenFirst = JobEvents.started(org, project, List.of(second, first));
        JobEvents.resolved(firstThenSecond);
        JobEvents.resolved(secondThenFirst);
        IssuerContractStub.tokens(firstThenSecond.jobId(), "t1", "t2");
        IssuerContractStub.tokens(secondThenFirst.jobId(), "t1", "t2");

        pull(firstThenSecond)
                .statusCode(200)
                .body("variables.REGION", equalTo("from-first"))
                .body("variables.ONLY_SECOND", equalTo("second-only"));
        pull(secondThenFirst).statusCode(200).body("variables.REGION", equalTo("from-second"));
    }

    @Test
    void aJobWithoutContextsGetsAnEnvironmentWithoutTokensAndTheIssuerIsNotAsked() {
        JobStarted job = JobEvents.started(org, project, List.of());
        JobEvents.resolved(job);
        pull(job)
                .statusCode(200)
                .body("variables", equalTo(Map.of()))
                .body("mask", equalTo(List.of()))
                .body("variables", not(hasKey("CIRCLE_OIDC_TOKEN")));
        assertTrue(IssuerContractStub.calls(job.jobId()).isEmpty());
    }

    @Test
    void aPullWaitsWhileTheTokensAreBeingMintedThenServesThemAll() {
        JobStarted job = jobWithSecret("K", "env-secret-3");
        IssuerContractStub.tokensAfterNotReady(job.jobId(), "v1-late", "v2-late", 3);
        pull(job)
                .statusCode(200)
                .body("variables.CIRCLE_OIDC_TOKEN", equalTo("v1-late"))
                .body("variables.K", equalTo("env-secret-3"));
        assertEquals(4, IssuerContractStub.calls(job.jobId()).size());
    }

    @Test
    void tokensThatNeverArriveGiveA503WithRetryAfterAndNoPartialEnvironment() {
        JobStarted job = jobWithSecret("K", "env-secret-4");
        pull(job)
                .statusCode(503)
                .header("Retry-After", "2")
                .contentType("application/problem+json")
                .body("detail", containsString("minted"))
                .body(not(containsString("env-secret-4")));
    }

    @Test
    void aJobNotResolvedYetGetsA503WithRetryAfter() {
        UUID unknownJob = UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.jobCredential(unknownJob, org))
                .get("/api/v1/jobs/{job}/environment", unknownJob)
                .then()
                .statusCode(503)
                .header("Retry-After", "2")
                .body("detail", containsString("resolved"));
    }

    @Test
    void aPullStartedBeforeResolutionIsServedOnceTheJobResolves() {
        String name = uniqueName("late");
        UUID context = createContext(org, name);
        setVariable(org, context, "LATE", "env-secret-late");
        JobStarted job = JobEvents.started(org, project, List.of(name));
        IssuerContractStub.tokens(job.jobId(), "v1-x", "v2-x");
        // the first pull may come before the event is consumed; an executor retries after Retry-After
        JobEvents.send(job);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(TestTokens.jobCredential(job.jobId(), org))
                                .get("/api/v1/jobs/{job}/environment", job.jobId())
                                .statusCode()
                        == 200);
    }

    @Test
    void aCredentialRevokedWhenTheJobWasQueuedAgainIsRefusedWhileTheNewOneIsServed() {
        JobStarted job = jobWithSecret("K", "env-secret-6");
        IssuerContractStub.tokens(job.jobId(), "v1-r", "v2-r");
        String lost = TestTokens.jobCredential(job.jobId(), org);
        String replacement = TestTokens.jobCredential(job.jobId(), org);
        JobEvents.send(revocation(job, lost));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(lost)
                                .get("/api/v1/jobs/{job}/environment", job.jobId())
                                .statusCode()
                        == 401);
        given().auth()
                .oauth2(lost)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .contentType("application/problem+json")
                .body("detail", containsString("revoked"))
                .body(not(containsString("env-secret-6")));
        given().auth()
                .oauth2(replacement)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .body("variables.K", equalTo("env-secret-6"));
    }

    @Test
    void aRevocationDeliveredTwiceIsAppliedOnce() {
        JobStarted job = jobWithSecret("K", "env-secret-7");
        JobCredentialRevoked revoked = revocation(job, TestTokens.jobCredential(job.jobId(), org));
        String later = TestTokens.jobCredential(job.jobId(), org);
        JobEvents.send(revoked);
        JobEvents.send(revoked);
        // one partition per job: once this later revocation is applied, both deliveries before it were handled
        JobEvents.send(revocation(job, later));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(later)
                                .get("/api/v1/jobs/{job}/environment", job.jobId())
                                .statusCode()
                        == 401);

        List<String> actions = asAdmin(org)
                .queryParam("job_id", job.jobId().toString())
                .get("/api/v1/orgs/{org}/audit", org)
                .then()
                .statusCode(200)
                .extract()
                .path("action");
        assertEquals(
                2, actions.stream().filter("job.credential_revoked"::equals).count(), actions.toString());
    }

    private JobCredentialRevoked revocation(JobStarted job, String credential) {
        return new JobCredentialRevoked(
                UUID.randomUUID(),
                1,
                Instant.now(),
                job.jobId(),
                org,
                TestTokens.claim(credential, "jti"),
                "its executor stopped sending heartbeats; queued again");
    }

    @Test
    void aDeniedJobGets403WithTheReason() {
        JobStarted job = JobEvents.started(org, project, List.of("missing-context"));
        JobEvents.denied(job);
        pull(job)
                .statusCode(403)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("context 'missing-context' does not exist in this organization; create it or "
                                + "remove it from the job's contexts"));
    }

    @Test
    void aRestrictionAddedAfterResolutionRefusesThePull() {
        String name = uniqueName("tightened");
        UUID context = createContext(org, name);
        setVariable(org, context, "K", "env-secret-5");
        JobStarted job = JobEvents.started(org, project, List.of(name));
        JobEvents.resolved(job);
        IssuerContractStub.tokens(job.jobId(), "t1", "t2");
        addRestriction(org, context, "project", UUID.randomUUID().toString());
        pull(job)
                .statusCode(403)
                .body("detail", containsString("is restricted to project"))
                .body(not(containsString("env-secret-5")));
    }

    @Test
    void aContextDeletedAfterResolutionRefusesThePull() {
        String name = uniqueName("gone");
        UUID context = createContext(org, name);
        JobStarted job = JobEvents.started(org, project, List.of(name));
        JobEvents.resolved(job);
        asAdmin(org)
                .delete("/api/v1/orgs/{org}/contexts/{c}", org, context)
                .then()
                .statusCode(204);
        pull(job).statusCode(403).body("detail", containsString("was deleted"));
    }

    @Test
    void aFinishedJobsCredentialIsRefused() {
        JobStarted job = jobWithSecret("K", "env-secret-6");
        IssuerContractStub.tokens(job.jobId(), "t1", "t2");
        pull(job).statusCode(200);
        JobEvents.send(JobEvents.finished(job.jobId(), org));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(TestTokens.jobCredential(job.jobId(), org))
                                .get("/api/v1/jobs/{job}/environment", job.jobId())
                                .statusCode()
                        == 401);
        pull(job).statusCode(401).contentType("application/problem+json").body("detail", containsString("ended"));
    }

    @Test
    void anotherJobsOrAnotherOrgsCredentialIsRefused() {
        JobStarted job = jobWithSecret("K", "env-secret-7");
        IssuerContractStub.tokens(job.jobId(), "t1", "t2");
        given().auth()
                .oauth2(TestTokens.jobCredential(UUID.randomUUID(), org))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(403)
                .body(not(containsString("env-secret-7")));
        given().auth()
                .oauth2(TestTokens.jobCredential(job.jobId(), UUID.randomUUID()))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(403)
                .body(not(containsString("env-secret-7")));
        // an admin token is not a job credential
        given().auth()
                .oauth2(TestTokens.orgAdmin(org))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(401);
    }

    @Test
    void missingExpiredTamperedOrForgedCredentialsAreRefused() {
        JobStarted job = jobWithSecret("K", "env-secret-8");
        UUID id = job.jobId();
        given().get("/api/v1/jobs/{job}/environment", id)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        for (String credential : new String[] {
            TestTokens.jobCredentialClaims(id, org).expired().sign(),
            TestTokens.tamper(TestTokens.jobCredential(id, org)),
            TestTokens.jobCredentialClaims(id, org).signedByStranger().sign(),
            TestTokens.jobCredentialClaims(id, org).unsigned(),
            TestTokens.jobCredentialClaims(id, org)
                    .claim("iss", "keyless-admin")
                    .sign(),
            TestTokens.jobCredentialClaims(id, org).claim("aud", "keyless-api").sign(),
            TestTokens.jobCredentialClaims(id, org)
                    .notBefore(Instant.now().plusSeconds(3600))
                    .sign()
        }) {
            given().auth()
                    .oauth2(credential)
                    .get("/api/v1/jobs/{job}/environment", id)
                    .then()
                    .statusCode(401)
                    .body(not(containsString("env-secret-8")));
        }
    }

    @Test
    void issuerRefusalsAndFailuresArePropagatedWithoutInternals() {
        JobStarted refused = jobWithSecret("K", "env-secret-9");
        IssuerContractStub.status(refused.jobId(), 401);
        pull(refused).statusCode(401).body("detail", containsString("token service refused"));

        JobStarted broken = jobWithSecret("K", "env-secret-10");
        IssuerContractStub.status(broken.jobId(), 500);
        pull(broken)
                .statusCode(502)
                .contentType("application/problem+json")
                .body("detail", equalTo("the token service failed to provide the job's tokens"))
                .body(not(containsString("127.0.0.1")));
    }

    @Test
    void everyPullIsAuditedWithNamesButNeverValuesAndOnlyForTheOrgsAdmin() {
        JobStarted job = jobWithSecret("AUDITED_NAME", "env-secret-audited");
        IssuerContractStub.tokens(job.jobId(), "v1-audit", "v2-audit");
        pull(job).statusCode(200);

        String audit = asAdmin(org)
                .queryParam("job_id", job.jobId().toString())
                .get("/api/v1/orgs/{org}/audit", org)
                .then()
                .statusCode(200)
                .body("action", hasItem("environment.pulled"))
                .body("find { it.action == 'environment.pulled' }.detail.variables", hasItem("AUDITED_NAME"))
                .body("find { it.action == 'environment.pulled' }.detail.oidc_tokens", equalTo(true))
                .extract()
                .asString();
        assertTrue(!audit.contains("env-secret-audited") && !audit.contains("v1-audit"), audit);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/audit", org)
                .then()
                .statusCode(200)
                .body("action", hasItem("variable.set"))
                .body("action", hasItem("context.created"));
        asAdmin(UUID.randomUUID()).get("/api/v1/orgs/{org}/audit", org).then().statusCode(403);
    }
}
