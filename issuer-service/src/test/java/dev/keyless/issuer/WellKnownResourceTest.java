package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class WellKnownResourceTest {

    /** {@code http://host:port/q/} of the management interface. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void discoveryHasExactlyTheDesignFieldsAndTheIssuerOfTheOrg() {
        UUID org = UUID.randomUUID();
        JsonPath doc = given().get("/org/{org}/.well-known/openid-configuration", org)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
        Map<String, Object> fields = doc.getMap("$");
        assertEquals(
                Set.of(
                        "issuer",
                        "jwks_uri",
                        "id_token_signing_alg_values_supported",
                        "response_types_supported",
                        "subject_types_supported",
                        "scopes_supported",
                        "claims_supported"),
                fields.keySet());
        assertEquals(TestJobs.issuer(org), doc.getString("issuer"));
        assertEquals(TestJobs.issuer(org) + "/.well-known/jwks-pub.json", doc.getString("jwks_uri"));
        assertEquals(List.of("RS256", "ES256"), doc.getList("id_token_signing_alg_values_supported"));
        assertEquals(List.of("id_token"), doc.getList("response_types_supported"));
        assertEquals(List.of("public"), doc.getList("subject_types_supported"));
        assertEquals(List.of("openid"), doc.getList("scopes_supported"));
        assertTrue(doc.getList("claims_supported")
                .containsAll(List.of(
                        "iss",
                        "sub",
                        "aud",
                        "iat",
                        "nbf",
                        "exp",
                        "jti",
                        "oidc.keyless.dev/project-id",
                        "oidc.keyless.dev/context-ids",
                        "oidc.keyless.dev/job-id")));
    }

    @Test
    void jwksKeysCarryKidKtyAlgAndUseButNoKeyOpsOrPrivateParts() {
        List<Map<String, Object>> keys = given().get("/org/{org}/.well-known/jwks-pub.json", UUID.randomUUID())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("keys");
        assertFalse(keys.isEmpty());
        assertTrue(keys.size() < 10);
        for (Map<String, Object> key : keys) {
            assertTrue(
                    key.keySet().containsAll(Set.of("kid", "kty", "alg", "use")),
                    key.keySet().toString());
            assertEquals("sig", key.get("use"));
            assertTrue(Set.of("RS256", "ES256").contains(key.get("alg")));
            for (String forbidden : List.of("key_ops", "d", "p", "q", "dp", "dq", "qi", "oth", "k")) {
                assertFalse(key.containsKey(forbidden), forbidden);
            }
        }
    }

    @Test
    void jwksAndDiscoveryAreCacheableWithStrongEtagsAndAnswer304() {
        UUID org = UUID.randomUUID();
        for (String path :
                List.of("/org/{org}/.well-known/jwks-pub.json", "/org/{org}/.well-known/openid-configuration")) {
            Response first = given().get(path, org);
            first.then()
                    .statusCode(200)
                    .header("Cache-Control", startsWith("public, max-age="))
                    .header("ETag", startsWith("\""))
                    .header("Access-Control-Allow-Origin", equalTo("*"));
            String etag = first.header("ETag");
            given().header("If-None-Match", etag)
                    .get(path, org)
                    .then()
                    .statusCode(304)
                    .header("ETag", equalTo(etag));
            given().header("If-None-Match", "\"something-else\"")
                    .get(path, org)
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void preflightAllowsBrowsersToGetTheDocuments() {
        given().header("Origin", "https://example.org")
                .header("Access-Control-Request-Method", "GET")
                .options("/org/{org}/.well-known/jwks-pub.json", UUID.randomUUID())
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", "*");
    }

    @Test
    void malformedOrgIdsGet404Problems() {
        for (String org : List.of("not-an-org", UUID.randomUUID().toString().toUpperCase(), "..%2F..")) {
            given().get("/org/{org}/.well-known/openid-configuration", org)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            given().get("/org/{org}/.well-known/jwks-pub.json", org)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void readinessReportsTheLoadedKeyRing() {
        given().get(management + "health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'key-ring' }.status", equalTo("UP"));
    }
}
