package dev.keyless.issuer;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An emergency revoke hands signing to the standby that caching relying parties already hold. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class StandbyKeyRevokeTest {

    /**
     * A relying party as Keycloak runs one: the JWKS is cached and refetched on an unknown kid at most once per
     * 10 s.
     */
    private static final class CachingVerifier {
        private final String jwksPath;
        private JWKSet cached;
        private Instant fetchedAt;

        CachingVerifier(String jwksPath) {
            this.jwksPath = jwksPath;
            fetch();
        }

        private void fetch() {
            try {
                cached = JWKSet.parse(
                        given().get(jwksPath).then().statusCode(200).extract().asString());
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
            fetchedAt = Instant.now();
        }

        synchronized boolean accepts(String token) throws Exception {
            SignedJWT jwt = SignedJWT.parse(token);
            String kid = jwt.getHeader().getKeyID();
            if (cached.getKeyByKeyId(kid) == null && fetchedAt.plusSeconds(10).isBefore(Instant.now())) {
                fetch();
            }
            RSAKey key = (RSAKey) cached.getKeyByKeyId(kid);
            return key != null && jwt.verify(new RSASSAVerifier(key));
        }
    }

    private record Verdict(String kid, boolean accepted) {}

    @Test
    void revokeDuringAStreamOfTokensPromotesTheStandbyACachingVerifierAlreadyHolds() throws Exception {
        UUID org = UUID.randomUUID();
        String standby = await().atMost(Duration.ofSeconds(20)).until(() -> keyInState("pending"), k -> k != null);
        String active = keyInState("active");
        CachingVerifier verifier = new CachingVerifier("/org/" + org + "/.well-known/jwks-pub.json");

        ConcurrentLinkedQueue<Verdict> verdicts = new ConcurrentLinkedQueue<>();
        AtomicBoolean streaming = new AtomicBoolean(true);
        ExecutorService stream = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
            stream.submit(() -> {
                while (streaming.get()) {
                    String token = TestJobs.resolvedJobTokens(TestJobs.newJob(org, 1))
                            .jsonPath()
                            .getString("v2");
                    verdicts.add(new Verdict(SignedJWT.parse(token).getHeader().getKeyID(), verifier.accepts(token)));
                }
                return null;
            });
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> verdicts.size() >= 3);
            given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                    .post("/api/v1/admin/keys/{kid}/revoke", active)
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> verdicts.stream()
                                    .filter(v -> !v.kid().equals(active))
                                    .count()
                            >= 6);
        } finally {
            streaming.set(false);
            stream.shutdown();
            assertTrue(stream.awaitTermination(60, TimeUnit.SECONDS));
        }

        assertEquals(
                List.of(),
                verdicts.stream().filter(v -> !v.accepted()).toList(),
                "tokens the caching verifier refused");
        assertTrue(
                verdicts.stream()
                        .allMatch(v -> v.kid().equals(active) || v.kid().equals(standby)),
                "only the revoked key and the standby it promoted signed");
        String next = keyInState("pending");
        assertNotNull(next, "a new standby is published right after the revoke");
        assertNotEquals(standby, next);
        assertEquals(standby, keyInState("active"));
    }

    private static String keyInState(String state) {
        List<Map<String, Object>> keys = given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                .get("/api/v1/admin/keys")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return keys.stream()
                .filter(k -> state.equals(k.get("state")))
                .map(k -> (String) k.get("kid"))
                .findFirst()
                .orElse(null);
    }
}
