package dev.keyless.issuer.key.service;

import com.nimbusds.jwt.SignedJWT;
import dev.keyless.issuer.TestJobs;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Rows written or altered in the database without the KEK: never published, never signing, counted. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class KeyBindingTamperTest {

    @Inject
    KeyManager keys;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void forgedRowThatWouldSignIsNeitherPublishedNorUsed() throws Throwable {
        SigningKey forged = SigningKey.generate("forged-" + UUID.randomUUID(), SigningAlgorithm.RS256, 2048);
        // the newest activated key would sign; its sealed part is a copy of a real one
        sql(
                "insert into signing_key (kid, algorithm, public_jwk, sealed_private_key, kek_id, created_at, activate_at, binding) "
                        + "select '" + forged.kid() + "', 'RS256', '" + forged.publicJwkJson()
                        + "', sealed_private_key, kek_id, now(), "
                        + "now() - interval '1 second', binding from signing_key where revoked_at is null and binding is not null limit 1");
        try {
            reloadEverywhereAndAwaitUntrusted(1);
            assertFalse(jwksKids().contains(forged.kid()), "a forged row is never published");
            assertNotEquals(forged.kid(), keys.activeKey().kid(), "a forged row never signs");
            assertNotEquals(forged.kid(), kidOfAFreshToken());
        } finally {
            sql("delete from signing_key where kid = '" + forged.kid() + "'");
        }
    }

    @Test
    void standbyWithASwappedPublicKeyOrAMovedTimelineIsDroppedAndReplaced() throws Throwable {
        SigningKey attacker = SigningKey.generate("attacker", SigningAlgorithm.RS256, 2048);
        String swapped = awaitStandby();
        String jwk = attacker.publicJwkJson().replace("\"attacker\"", "\"" + swapped + "\"");
        sql("update signing_key set public_jwk = '" + jwk + "' where kid = '" + swapped + "'");
        String moved = null;
        try {
            reloadEverywhereAndAwaitUntrusted(1);
            assertFalse(jwksKids().contains(swapped), "a row whose public key was swapped is not published");
            moved = await().atMost(Duration.ofSeconds(20)).until(this::standby, s -> s != null && !s.equals(swapped));

            // moving the new standby's activation into the past would make it the signing key
            sql("update signing_key set activate_at = now() - interval '1 second' where kid = '" + moved + "'");
            reloadEverywhereAndAwaitUntrusted(2);
            assertFalse(jwksKids().contains(moved), "a row whose timeline was moved is not published");
            assertNotEquals(moved, keys.activeKey().kid(), "a row whose timeline was moved never signs");
            assertNotEquals(moved, kidOfAFreshToken());
        } finally {
            sql("delete from signing_key where kid in ('" + swapped + "', '" + moved + "')");
            sql("update key_ring set version = version + 1 where id = 1");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> untrustedGauge() == 0 && standby() != null);
    }

    private static String kidOfAFreshToken() throws ParseException {
        String v1 = TestJobs.resolvedJobTokens(TestJobs.newJob(UUID.randomUUID(), 1))
                .jsonPath()
                .getString("v1");
        return SignedJWT.parse(v1).getHeader().getKeyID();
    }

    private String awaitStandby() {
        return await().atMost(Duration.ofSeconds(20)).until(this::standby, s -> s != null);
    }

    private String standby() {
        List<Map<String, Object>> all = given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                .get("/api/v1/admin/keys")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return all.stream()
                .filter(k -> "pending".equals(k.get("state")))
                .map(k -> (String) k.get("kid"))
                .findFirst()
                .orElse(null);
    }

    private void reloadEverywhereAndAwaitUntrusted(int count) throws Throwable {
        sql("update key_ring set version = version + 1 where id = 1");
        await().atMost(Duration.ofSeconds(20)).until(() -> untrustedGauge() == count);
    }

    private double untrustedGauge() {
        String metrics = given().get(management + "metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher matcher = Pattern.compile("(?m)^keyless_issuer_key_untrusted(?:\\{[^}]*})? (\\S+)$")
                .matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static List<String> jwksKids() {
        return given().get("/org/{org}/.well-known/jwks-pub.json", UUID.randomUUID())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("keys.kid");
    }

    private static void sql(String statement) throws Throwable {
        assertEquals(
                Boolean.TRUE,
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery(statement).executeUpdate())
                        .replaceWith(true))));
    }
}
