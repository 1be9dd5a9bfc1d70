package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import dev.keyless.testing.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation slice end to end, from outside: trigger a pipeline, claim its job as an executor, pull the
 * environment, verify both tokens as a relying party knowing only the issuer URL, mint one on demand, complete
 * the job, and see the credential die. The steps share one job, so they run in order.
 */
@ExtendWith(PlatformExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenFlowSystemTest {

    private static final String SECRET = "s3cr3t-" + UUID.randomUUID();

    private static KeylessPlatform platform;
    private static Keyless keyless;
    private static Keyless.Org org;
    private static UUID contextId;
    private static JsonNode pipeline;
    private static Keyless.Claim claim;
    private static JsonNode environment;

    @BeforeAll
    static void triggerAndClaim(KeylessPlatform started) {
        platform = started;
        keyless = new Keyless(platform);
        org = keyless.createOrg();
        contextId = keyless.createContext(org, "aws-prod", Map.of("DEPLOY_PASSWORD", SECRET));
        pipeline =
                keyless.trigger(org, List.of(Keyless.job("deploy", "echo deploying", List.of("aws-prod"), List.of())));
        claim = keyless.claim(Keyless.jobId(pipeline, "deploy"));
    }

    @Test
    @Order(1)
    void theEnvironmentHoldsTheContextVariableBothTokensAndMasksThem() {
        Http.Response response = keyless.environment(claim.jobId(), claim.credential());
        assertEquals(200, response.status(), () -> "environment: " + response);
        assertTrue(
                response.headers().firstValue("Cache-Control").orElse("").contains("no-store"),
                "the environment is never cached");
        environment = response.json();
        JsonNode variables = environment.get("variables");
        assertEquals(SECRET, variables.path("DEPLOY_PASSWORD").asText());
        assertFalse(variables.path("CIRCLE_OIDC_TOKEN").asText().isEmpty(), "V1 token delivered");
        assertFalse(variables.path("CIRCLE_OIDC_TOKEN_V2").asText().isEmpty(), "V2 token delivered");
        List<String> mask = Http.JSON.convertValue(environment.get("mask"), List.class);
        assertTrue(mask.contains(SECRET), "the secret is in the mask list");
        assertTrue(mask.contains(variables.get("CIRCLE_OIDC_TOKEN").asText()), "the V1 token is in the mask list");
        assertTrue(mask.contains(variables.get("CIRCLE_OIDC_TOKEN_V2").asText()), "the V2 token is in the mask list");
    }

    @Test
    @Order(2)
    void bothTokensVerifyWithOnlyTheIssuerUrlAndCarryEveryClaim() {
        String issuer = platform.issuerUrl() + "/org/" + org.id();
        RelyingParty relyingParty = new RelyingParty(issuer);
        relyingParty.assertPublishedCorrectly();
        String namespace = namespace(relyingParty.discovery());

        RelyingParty.Verified v1 = relyingParty.verify(
                environment.get("variables").get("CIRCLE_OIDC_TOKEN").asText(),
                org.id().toString());
        RelyingParty.Verified v2 = relyingParty.verify(
                environment.get("variables").get("CIRCLE_OIDC_TOKEN_V2").asText(),
                org.id().toString());

        String v1Subject = "org/" + org.id() + "/project/" + org.projectId() + "/user/" + org.userId();
        assertEquals(v1Subject, v1.claims().getSubject());
        assertEquals(
                v1Subject + "/vcs-origin/" + Keyless.VCS_ORIGIN + "/vcs-ref/refs/heads/main",
                v2.claims().getSubject());
        assertTrue(v1Subject.getBytes(StandardCharsets.UTF_8).length <= 127, "fits GCP google.subject");
        for (RelyingParty.Verified token : List.of(v1, v2)) {
            assertStandardClaims(token, issuer);
            assertNamespacedClaims(token.rawClaims(), namespace);
        }
        assertNotEquals(v1.claims().getJWTID(), v2.claims().getJWTID(), "jti is unique");
    }

    @Test
    @Order(3)
    void aJobGetsATokenForAnAudienceItChoosesAndCannotSetReservedClaims() {
        String issuer = platform.issuerUrl() + "/org/" + org.id();
        Http.Response minted = Http.post(
                platform.issuerUrl() + "/api/v1/jobs/" + claim.jobId() + "/oidc-tokens",
                claim.credential(),
                Map.of("audience", "sts.amazonaws.com", "ttl_seconds", 120));
        assertEquals(200, minted.status(), () -> "on-demand token: " + minted);
        RelyingParty.Verified token =
                new RelyingParty(issuer).verify(minted.json().get("token").asText(), "sts.amazonaws.com");
        assertEquals(
                120,
                token.rawClaims().get("exp").asLong()
                        - token.rawClaims().get("iat").asLong());
        assertTrue(token.claims().getSubject().startsWith("org/" + org.id() + "/project/" + org.projectId()));

        Http.Response reserved = Http.post(
                platform.issuerUrl() + "/api/v1/jobs/" + claim.jobId() + "/oidc-tokens",
                claim.credential(),
                Map.of("audience", "sts.amazonaws.com", "iss", "https://evil.example", "sub", "x"));
        assertEquals(400, reserved.status(), () -> "setting iss or sub must be refused: " + reserved);
        Problems.assertProblem(reserved, 400);
    }

    @Test
    @Order(4)
    void completingTheJobKillsItsCredentialEverywhere() {
        Http.Response completed = keyless.complete(claim.jobId(), claim.credential(), 0);
        assertEquals(200, completed.status(), () -> "complete: " + completed);
        JsonNode job = keyless.awaitStatus(org, claim.jobId(), Duration.ofSeconds(10), "success");
        assertEquals(0, job.get("exit_code").asInt());

        awaitRefused(() ->
                Http.get(platform.contextUrl() + "/api/v1/jobs/" + claim.jobId() + "/environment", claim.credential()));
        awaitRefused(() -> Http.post(
                platform.issuerUrl() + "/api/v1/jobs/" + claim.jobId() + "/oidc-tokens",
                claim.credential(),
                Map.of("audience", "sts.amazonaws.com")));
        Http.Response heartbeat = Http.post(
                platform.schedulerUrl() + "/api/v1/jobs/" + claim.jobId() + "/heartbeat", claim.credential(), Map.of());
        assertTrue(
                heartbeat.status() == 401 || heartbeat.status() == 409, () -> "heartbeat after the end: " + heartbeat);
        Problems.assertProblem(heartbeat, heartbeat.status());
    }

    @Test
    @Order(5)
    void anotherOrgsAdminSeesNothingOfThisOrg() {
        Keyless.Org other = keyless.createOrg();
        Http.Response job = Http.get(platform.schedulerUrl() + "/api/v1/jobs/" + claim.jobId(), other.adminToken());
        assertTrue(job.status() == 403 || job.status() == 404, () -> "other org's job: " + job);
        Http.Response variables = Http.get(
                platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts/" + contextId + "/env",
                other.adminToken());
        assertTrue(variables.status() == 403 || variables.status() == 404, () -> "other org's context: " + variables);
        Http.Response forged = Http.get(
                platform.schedulerUrl() + "/api/v1/jobs/" + claim.jobId(),
                TestTokens.adminClaims("platform-admin", null)
                        .signedByStranger()
                        .sign());
        assertEquals(401, forged.status(), () -> "admin token signed by an unknown key: " + forged);
    }

    /** JobFinished reaches context- and issuer-service through Kafka: allow it a few seconds. */
    private static void awaitRefused(Supplier<Http.Response> call) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    Http.Response response = call.get();
                    assertEquals(401, response.status(), () -> "the dead credential must be refused: " + response);
                    Problems.assertProblem(response, 401);
                });
    }

    private void assertStandardClaims(RelyingParty.Verified token, String issuer) {
        assertEquals(JWSAlgorithm.RS256, token.header().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, token.header().getType());
        assertEquals(issuer, token.claims().getIssuer());
        JsonNode raw = token.rawClaims();
        assertTrue(raw.get("aud").isTextual(), "aud is a single string, as AWS wants");
        assertEquals(org.id().toString(), raw.get("aud").asText(), "default audience is the org id");
        for (String time : List.of("iat", "nbf", "exp")) {
            assertTrue(raw.get(time).isIntegralNumber(), time + " is integer seconds");
        }
        long iat = raw.get("iat").asLong();
        assertEquals(3600, raw.get("exp").asLong() - iat, "lifetime is 3600 s by default");
        assertTrue(raw.get("nbf").asLong() <= Instant.now().getEpochSecond() + 5, "valid now");
        assertTrue(Math.abs(iat - Instant.now().getEpochSecond()) < 600, "issued recently");
        assertFalse(raw.path("jti").asText().isEmpty(), "jti is set");
        assertTrue(token.token().length() < 20_000, "shorter than relying parties' limits");
    }

    private void assertNamespacedClaims(JsonNode raw, String ns) {
        JsonNode pipelineWorkflow = pipeline.get("workflows").get(0);
        assertEquals(org.projectId().toString(), raw.path(ns + "/project-id").asText());
        assertEquals(List.of(contextId.toString()), Http.JSON.convertValue(raw.get(ns + "/context-ids"), List.class));
        assertEquals(Keyless.VCS_ORIGIN, raw.path(ns + "/vcs-origin").asText());
        assertEquals("refs/heads/main", raw.path(ns + "/vcs-ref").asText());
        assertTrue(raw.path(ns + "/ssh-rerun").isBoolean(), "ssh-rerun is a boolean");
        assertFalse(raw.path(ns + "/ssh-rerun").asBoolean());
        assertEquals(pipeline.get("id").asText(), raw.path(ns + "/pipeline-id").asText());
        assertEquals(
                pipelineWorkflow.get("id").asText(),
                raw.path(ns + "/workflow-id").asText());
        assertEquals(claim.jobId().toString(), raw.path(ns + "/job-id").asText());
    }

    /** The claim namespace as discovery advertises it (CircleCI's would be oidc.circleci.com). */
    private static String namespace(JsonNode discovery) {
        for (JsonNode claimName : discovery.get("claims_supported")) {
            if (claimName.asText().endsWith("/project-id")) {
                return claimName.asText().substring(0, claimName.asText().length() - "/project-id".length());
            }
        }
        throw new AssertionError("discovery lists no namespaced project-id claim: " + discovery);
    }
}
