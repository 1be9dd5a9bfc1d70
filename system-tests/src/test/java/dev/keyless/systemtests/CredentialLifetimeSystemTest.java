package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bound on a finished job's credential: with the broker down, context- and issuer-service never hear that the
 * job ended, and still refuse its credential once the credential's short lifetime (plus the tolerated clock skew)
 * has passed. A second scheduler replica issues 6-second credentials so the bound is observed in seconds; in
 * production it is {@code keyless.scheduler.credential-lifetime} (4 min) plus 30 s of skew, under 5 minutes.
 */
@ExtendWith(PlatformExtension.class)
class CredentialLifetimeSystemTest {

    private static final Duration LIFETIME = Duration.ofSeconds(6);
    private static final Duration SKEW = Duration.ofSeconds(2);

    @Test
    void aFinishedJobsCredentialStopsWorkingWithinItsLifetimeEvenWhileTheBrokerIsDown(KeylessPlatform platform)
            throws Exception {
        Keyless keyless = new Keyless(platform);
        String scheduler = platform.startReplica(
                "scheduler",
                "scheduler-short-credentials",
                Map.of("KEYLESS_SCHEDULER_CREDENTIAL_LIFETIME", LIFETIME.toSeconds() + "s"));
        Keyless.Org org = keyless.createOrg();
        keyless.createContext(org, "aws-prod", Map.of("DEPLOY_PASSWORD", "p4ss-" + UUID.randomUUID()));
        UUID jobId = Keyless.jobId(
                keyless.trigger(org, List.of(Keyless.job("deploy", "true", List.of("aws-prod"), List.of()))), "deploy");
        String credential = claim(platform, scheduler, org, jobId);
        long exp = claims(credential).get("exp").asLong();
        assertTrue(exp - claims(credential).get("iat").asLong() <= LIFETIME.toSeconds());

        // a heartbeat renews it: same claim id, later expiry; the job keeps working past the first credential's exp
        // deliberately lets time pass, so the renewed credential's exp is later than the first one's
        KeylessPlatform.sleep(Duration.ofSeconds(2));
        Http.Response heartbeat = Http.post(scheduler + "/api/v1/jobs/" + jobId + "/heartbeat", credential, Map.of());
        assertEquals(200, heartbeat.status(), () -> "heartbeat: " + heartbeat);
        String renewed = heartbeat.json().get("credential").asText();
        assertEquals(
                claims(credential).get("jti").asText(),
                claims(renewed).get("jti").asText());
        assertTrue(claims(renewed).get("exp").asLong() > exp);
        assertEquals(200, keyless.environment(jobId, renewed).status());

        platform.stopKafka();
        try {
            assertEquals(200, keyless.complete(jobId, renewed, 0).status());
            Instant ended = Instant.now();
            // no JobFinished can reach context-service: only the credential's own expiry ends it there
            assertEquals(
                    200,
                    Http.get(platform.contextUrl() + "/api/v1/jobs/" + jobId + "/environment", renewed)
                            .status(),
                    "the broker is down, so context-service has not heard that the job ended");
            Instant bound =
                    Instant.ofEpochSecond(claims(renewed).get("exp").asLong()).plus(SKEW);
            await().atMost(Duration.between(Instant.now(), bound).plusSeconds(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Http.get(platform.contextUrl() + "/api/v1/jobs/" + jobId + "/environment", renewed)
                                    .status()
                            == 401);
            Http.Response mint = Http.post(
                    platform.issuerUrl() + "/api/v1/jobs/" + jobId + "/oidc-tokens",
                    renewed,
                    Map.of("audience", "sts.amazonaws.com"));
            assertEquals(401, mint.status(), () -> "issuer-service with the expired credential: " + mint);
            Duration refusedAfter = Duration.between(ended, Instant.now());
            assertTrue(
                    refusedAfter.compareTo(LIFETIME.plus(SKEW).plusSeconds(3)) <= 0,
                    "refused " + refusedAfter + " after the job ended");
        } finally {
            platform.startKafka();
        }
    }

    private static String claim(KeylessPlatform platform, String scheduler, Keyless.Org org, UUID jobId) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Http.Response response = Http.send(
                    "POST",
                    scheduler + "/api/v1/executor/claim?wait_seconds=2&project_id=" + org.projectId(),
                    platform.executorToken(),
                    null,
                    null);
            if (response.status() == 200) {
                assertEquals(jobId.toString(), response.json().get("job_id").asText());
                return response.json().get("credential").asText();
            }
            assertEquals(204, response.status(), () -> "claim: " + response);
        }
        throw new AssertionError("job " + jobId + " was not claimable");
    }

    private static JsonNode claims(String jwt) throws IOException {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
