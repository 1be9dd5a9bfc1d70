package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class KeyAdminResourceTest {

    /** {@code http://host:port/q/} of the management interface. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void platformAdminListsKeysWithStateAndPublicDataOnly() {
        List<Map<String, Object>> keys = given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                .get("/api/v1/admin/keys")
                .then()
                .statusCode(200)
                .body("state", hasItem("active"))
                .body(not(containsString("sealed")))
                .extract()
                .jsonPath()
                .getList("$");
        for (Map<String, Object> key : keys) {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) key.get("public_jwk");
            assertTrue(jwk.containsKey("kid"));
            assertFalse(jwk.containsKey("d"));
        }
    }

    @Test
    void orgAdminCannotTouchTheKeyRing() {
        String orgAdmin = "Bearer " + TestTokens.orgAdmin(UUID.randomUUID());
        given().header("Authorization", orgAdmin)
                .get("/api/v1/admin/keys")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", orgAdmin)
                .post("/api/v1/admin/keys/rotate")
                .then()
                .statusCode(403);
        given().header("Authorization", orgAdmin)
                .post("/api/v1/admin/keys/{kid}/revoke", "any")
                .then()
                .statusCode(403);
    }

    @Test
    void forgedAdminTokensAreRefusedEverywhere() {
        for (String forged : HostileCredentials.platformAdminForgeries()) {
            given().header("Authorization", "Bearer " + forged)
                    .get("/api/v1/admin/keys")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
            given().header("Authorization", "Bearer " + forged)
                    .post("/api/v1/admin/keys/rotate")
                    .then()
                    .statusCode(401);
            given().header("Authorization", "Bearer " + forged)
                    .queryParam("job_id", UUID.randomUUID())
                    .get("/api/v1/orgs/{org}/oidc-tokens", UUID.randomUUID())
                    .then()
                    .statusCode(401);
        }
        given().get("/api/v1/admin/keys").then().statusCode(401);
    }

    @Test
    void jobCredentialIsNoAdminToken() {
        String credential = TestTokens.jobCredential(UUID.randomUUID(), UUID.randomUUID());
        given().header("Authorization", "Bearer " + credential)
                .get("/api/v1/admin/keys")
                .then()
                .statusCode(401);
    }

    @Test
    void revokingAnUnknownKeyIs404() {
        given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                .post("/api/v1/admin/keys/{kid}/revoke", "no-such-kid")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void metricsReportKeyAgeAndMinting() {
        TestJobs.resolvedJobTokens(TestJobs.newJob(UUID.randomUUID(), 1));
        given().get(management + "metrics")
                .then()
                .statusCode(200)
                .body(containsString("keyless_issuer_key_active_age_seconds"))
                .body(containsString("keyless_issuer_key_next_rotation_seconds"))
                .body(containsString("keyless_issuer_tokens_minted_total{algorithm=\"RS256\""))
                .body(containsString("keyless_issuer_mint_latency_seconds"))
                .body(containsString("keyless_issuer_token_cache_hit_ratio"));
    }
}
