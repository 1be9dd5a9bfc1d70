package dev.keyless.context.support;

import dev.keyless.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Admin API calls a test needs as set-up, each asserting success. */
public final class Api {

    private Api() {}

    public static RequestSpecification asAdmin(UUID orgId) {
        return given().auth().oauth2(TestTokens.orgAdmin(orgId)).contentType(ContentType.JSON);
    }

    public static UUID createContext(UUID orgId, String name) {
        return UUID.fromString(asAdmin(orgId)
                .body(Map.of("name", name))
                .post("/api/v1/orgs/{org}/contexts", orgId)
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    }

    public static void setVariable(UUID orgId, UUID contextId, String name, String value) {
        asAdmin(orgId)
                .body(Map.of("value", value))
                .put("/api/v1/orgs/{org}/contexts/{context}/env/{name}", orgId, contextId, name)
                .then()
                .statusCode(200);
    }

    public static String addRestriction(UUID orgId, UUID contextId, String type, String value) {
        return asAdmin(orgId)
                .body(Map.of("type", type, "value", value))
                .post("/api/v1/orgs/{org}/contexts/{context}/restrictions", orgId, contextId)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A context name unique to this run, so tests never see each other's contexts. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
