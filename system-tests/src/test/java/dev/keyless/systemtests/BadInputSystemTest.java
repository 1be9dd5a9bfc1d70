package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input and hostile callers get a clear 4xx problem body, and nothing is half-written. */
@ExtendWith(PlatformExtension.class)
class BadInputSystemTest {

    private static KeylessPlatform platform;
    private static Keyless keyless;
    private static Keyless.Org org;
    private static UUID contextId;
    private static Keyless.Claim job;
    private static Keyless.Claim otherJob;

    @BeforeAll
    static void twoRunningJobs(KeylessPlatform started) {
        platform = started;
        keyless = new Keyless(platform);
        org = keyless.createOrg();
        contextId = keyless.createContext(org, "aws-prod", Map.of("DEPLOY_PASSWORD", "p4ss-" + UUID.randomUUID()));
        JsonNode first = keyless.trigger(org, List.of(Keyless.job("deploy", "true", List.of("aws-prod"), List.of())));
        job = keyless.claim(Keyless.jobId(first, "deploy"));
        JsonNode second = keyless.trigger(org, List.of(Keyless.job("deploy", "true", List.of("aws-prod"), List.of())));
        otherJob = keyless.claim(Keyless.jobId(second, "deploy"));
    }

    @AfterAll
    static void completeTheJobs() {
        keyless.complete(job.jobId(), job.credential(), 0);
        keyless.complete(otherJob.jobId(), otherJob.credential(), 0);
    }

    @Test
    void malformedJsonIsA400ProblemOnEveryService() {
        Problems.assertProblem(
                Http.send(
                        "POST",
                        platform.schedulerUrl() + "/api/v1/orgs",
                        TestTokens.platformAdmin(),
                        "{\"name\": ",
                        "application/json"),
                400);
        Problems.assertProblem(
                Http.send(
                        "POST",
                        platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts",
                        org.adminToken(),
                        "{\"name\": ",
                        "application/json"),
                400);
        Problems.assertProblem(
                Http.send(
                        "POST",
                        platform.issuerUrl() + "/api/v1/jobs/" + job.jobId() + "/oidc-tokens",
                        job.credential(),
                        "{\"audience\": ",
                        "application/json"),
                400);
        Problems.assertProblem(
                Http.send(
                        "POST",
                        platform.schedulerUrl() + "/api/v1/projects/" + org.projectId() + "/pipelines",
                        org.adminToken(),
                        "[1, 2",
                        "application/json"),
                400);
    }

    /** Every service reads bodies by the same strict rules: no guessing, a 400 that names the field. */
    @Test
    void wrongTypesCoercionsAndUnknownFieldsAre400ProblemsNamingTheFieldOnEveryService() {
        String pipelines = platform.schedulerUrl() + "/api/v1/projects/" + org.projectId() + "/pipelines";
        Map<String, Object> stringTimeout = new LinkedHashMap<>(Keyless.job("deploy", "true", List.of(), List.of()));
        stringTimeout.put("timeout_seconds", "600");
        Map<String, Http.Response> refused = new LinkedHashMap<>();
        refused.put(
                "timeout_seconds",
                Http.post(
                        pipelines,
                        org.adminToken(),
                        Map.of(
                                "ref",
                                "refs/heads/main",
                                "revision",
                                "abc",
                                "trigger_source",
                                "api",
                                "user_id",
                                org.userId().toString(),
                                "workflows",
                                List.of(Map.of("name", "w", "jobs", List.of(stringTimeout))))));
        refused.put(
                "exit_code",
                Http.send(
                        "POST",
                        platform.schedulerUrl() + "/api/v1/jobs/" + job.jobId() + "/complete",
                        job.credential(),
                        "{\"exit_code\": 0.5}",
                        "application/json"));
        refused.put(
                "colour",
                Http.send(
                        "POST",
                        platform.schedulerUrl() + "/api/v1/orgs",
                        TestTokens.platformAdmin(),
                        "{\"name\": \"acme\", \"colour\": \"blue\"}",
                        "application/json"));
        refused.put(
                "name",
                Http.send(
                        "POST",
                        platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts",
                        org.adminToken(),
                        "{\"name\": 42}",
                        "application/json"));
        refused.put(
                "ttl_seconds",
                Http.send(
                        "POST",
                        platform.issuerUrl() + "/api/v1/jobs/" + job.jobId() + "/oidc-tokens",
                        job.credential(),
                        "{\"audience\": \"sts.amazonaws.com\", \"ttl_seconds\": \"60\"}",
                        "application/json"));
        refused.put(
                "aud",
                Http.send(
                        "POST",
                        platform.issuerUrl() + "/api/v1/jobs/" + job.jobId() + "/oidc-tokens",
                        job.credential(),
                        "{\"audience\": \"sts.amazonaws.com\", \"aud\": \"x\"}",
                        "application/json"));
        refused.forEach((field, response) -> {
            JsonNode problem = Problems.assertProblem(response, 400);
            assertTrue(
                    problem.get("detail").asText().contains(field), () -> "the detail names " + field + ": " + problem);
        });
        assertEquals(
                "running",
                keyless.job(org, job.jobId()).path("status").asText(),
                "a refused completion changed nothing");
    }

    @Test
    void unknownOrgProjectContextAndJobAre404Problems() {
        UUID unknown = UUID.randomUUID();
        Problems.assertProblem(
                Http.post(
                        platform.schedulerUrl() + "/api/v1/orgs/" + unknown + "/projects",
                        TestTokens.platformAdmin(),
                        Map.of("name", "app", "vcs_origin", Keyless.VCS_ORIGIN)),
                404);
        Problems.assertProblem(
                Http.post(
                        platform.schedulerUrl() + "/api/v1/projects/" + unknown + "/pipelines",
                        TestTokens.platformAdmin(),
                        Map.of(
                                "ref",
                                "refs/heads/main",
                                "revision",
                                "abc",
                                "user_id",
                                org.userId().toString(),
                                "workflows",
                                List.of())),
                404);
        Problems.assertProblem(
                Http.put(
                        platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts/" + unknown
                                + "/env/DEPLOY_PASSWORD",
                        org.adminToken(),
                        Map.of("value", "x")),
                404);
        Problems.assertProblem(
                Http.get(platform.schedulerUrl() + "/api/v1/jobs/" + unknown, TestTokens.platformAdmin()), 404);
    }

    @Test
    void anInvalidVariableNameIsRefusedAndNotStored() {
        for (String name : List.of("1STARTS_WITH_DIGIT", "HAS-DASH", "HAS%20SPACE")) {
            Http.Response response = Http.put(
                    platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts/" + contextId + "/env/" + name,
                    org.adminToken(),
                    Map.of("value", "x"));
            Problems.assertProblem(response, 400);
        }
        Http.Response listing = Http.get(
                platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts/" + contextId + "/env",
                org.adminToken());
        assertEquals(200, listing.status(), () -> "listing: " + listing);
        assertEquals(1, listing.json().size(), () -> "only DEPLOY_PASSWORD is stored: " + listing);
        assertFalse(listing.body().contains("p4ss-"), "listing never shows a value");
    }

    @Test
    void aPipelineRequiringAnUnknownJobIsA400ThatNamesIt() {
        Http.Response response = Http.post(
                platform.schedulerUrl() + "/api/v1/projects/" + org.projectId() + "/pipelines",
                org.adminToken(),
                Map.of(
                        "ref",
                        "refs/heads/main",
                        "revision",
                        "abc",
                        "trigger_source",
                        "api",
                        "user_id",
                        org.userId().toString(),
                        "workflows",
                        List.of(Map.of(
                                "name",
                                "w",
                                "jobs",
                                List.of(Keyless.job("deploy", "true", List.of(), List.of("no-such-job")))))));
        JsonNode problem = Problems.assertProblem(response, 400);
        assertTrue(
                problem.get("detail").asText().contains("no-such-job"), () -> "the detail names the job: " + problem);
    }

    @Test
    void callsWithoutAnyCredentialAre401Problems() {
        Problems.assertProblem(Http.get(platform.schedulerUrl() + "/api/v1/jobs/" + job.jobId(), null), 401);
        Problems.assertProblem(Http.get(platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts", null), 401);
        Problems.assertProblem(
                Http.get(platform.contextUrl() + "/api/v1/jobs/" + job.jobId() + "/environment", null), 401);
        Problems.assertProblem(
                Http.post(
                        platform.issuerUrl() + "/api/v1/jobs/" + job.jobId() + "/oidc-tokens",
                        null,
                        Map.of("audience", "sts.amazonaws.com")),
                401);
        Problems.assertProblem(
                Http.send("POST", platform.schedulerUrl() + "/api/v1/executor/claim", "not-the-token", null, null),
                401);
    }

    /** The job's environment (context-service) and its on-demand tokens (issuer-service), with a credential. */
    private static final Map<String, Function<String, Http.Response>> JOB_ENDPOINTS = Map.of(
            "environment",
                    credential -> Http.get(
                            platform.contextUrl() + "/api/v1/jobs/" + job.jobId() + "/environment", credential),
            "oidc-tokens",
                    credential -> Http.post(
                            platform.issuerUrl() + "/api/v1/jobs/" + job.jobId() + "/oidc-tokens",
                            credential,
                            Map.of("audience", "sts.amazonaws.com")),
            "heartbeat",
                    credential -> Http.post(
                            platform.schedulerUrl() + "/api/v1/jobs/" + job.jobId() + "/heartbeat",
                            credential,
                            Map.of()));

    @ParameterizedTest
    @ValueSource(strings = {"environment", "oidc-tokens", "heartbeat"})
    void hostileJobCredentialsAreRefused(String endpoint) {
        Function<String, Http.Response> call = JOB_ENDPOINTS.get(endpoint);
        String expired = TestTokens.jobCredentialClaims(job.jobId(), org.id())
                .claim("project_id", org.projectId().toString())
                .expired()
                .sign();
        String forged = TestTokens.jobCredentialClaims(job.jobId(), org.id())
                .claim("project_id", org.projectId().toString())
                .signedByStranger()
                .sign();
        Map<String, String> hostile = Map.of(
                "expired",
                expired,
                "tampered",
                TestTokens.tamper(job.credential()),
                "signed by an unknown key",
                forged,
                "an admin token",
                org.adminToken(),
                "garbage",
                "not-a-jwt");
        hostile.forEach((kind, credential) -> {
            Http.Response response = call.apply(credential);
            assertEquals(401, response.status(), () -> endpoint + " with " + kind + " credential: " + response);
            Problems.assertProblem(response, 401);
        });
        Http.Response others = call.apply(otherJob.credential());
        assertTrue(
                others.status() == 401 || others.status() == 403,
                () -> endpoint + " with another job's credential: " + others);
        Problems.assertProblem(others, others.status());
        // the real credential still works: the refusals above were about the credential, not the job
        assertTrue(call.apply(job.credential()).status() < 300, endpoint + " with the job's own credential");
    }

    @Test
    void aJobNamingAContextOfAnotherOrgIsUnauthorizedWithTheReason() {
        Keyless.Org owner = keyless.createOrg();
        String ownerSecret = "owner-" + UUID.randomUUID();
        keyless.createContext(owner, "owner-only-secrets", Map.of("OWNER_SECRET", ownerSecret));
        JsonNode pipeline =
                keyless.trigger(org, List.of(Keyless.job("steal", "env", List.of("owner-only-secrets"), List.of())));
        UUID jobId = Keyless.jobId(pipeline, "steal");
        JsonNode denied = keyless.awaitStatus(org, jobId, Duration.ofSeconds(30), "unauthorized");
        String reason = denied.path("status_reason").asText();
        assertTrue(reason.contains("owner-only-secrets"), () -> "the reason names the context: " + denied);
        assertFalse(denied.toString().contains(ownerSecret), "no secret in the job view");
    }
}
