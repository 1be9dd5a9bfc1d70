package dev.keyless.context.context;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestKeys;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.UUID;

import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class ContextAdminApiTest {

    private final UUID org = UUID.randomUUID();

    @Test
    void createListRenameAndDeleteAContext() {
        String name = uniqueName("prod-deploy");
        UUID id = createContext(org, name);

        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(200)
                .body("name", hasItem(name))
                .body("org_id", hasItem(org.toString()));
        String renamed = uniqueName("prod");
        asAdmin(org)
                .body(Map.of("name", renamed))
                .patch("/api/v1/orgs/{org}/contexts/{id}", org, id)
                .then()
                .statusCode(200)
                .body("name", equalTo(renamed));
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{id}", org, id)
                .then()
                .statusCode(200)
                .body("name", equalTo(renamed));
        asAdmin(org).delete("/api/v1/orgs/{org}/contexts/{id}", org, id).then().statusCode(204);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{id}", org, id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aContextNameIsUniqueWithinItsOrgOnly() {
        String name = uniqueName("shared");
        createContext(org, name);
        asAdmin(org)
                .body(Map.of("name", name))
                .post("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already exists"));
        createContext(UUID.randomUUID(), name);
    }

    @Test
    void renamingOntoAnExistingNameIsAConflict() {
        String first = uniqueName("first");
        createContext(org, first);
        UUID second = createContext(org, uniqueName("second"));
        asAdmin(org)
                .body(Map.of("name", first))
                .patch("/api/v1/orgs/{org}/contexts/{id}", org, second)
                .then()
                .statusCode(409);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "-leading-dash",
                "has space",
                "semi;colon",
                "slash/name",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void anInvalidContextNameIsRejected(String name) {
        asAdmin(org)
                .body(Map.of("name", name))
                .post("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("context name"));
    }

    @Test
    void malformedJsonIsAProblemWithoutInternals() {
        asAdmin(org)
                .body("{\"name\": ")
                .post("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", not(containsString("Exception")))
                .body("detail", not(containsString("jackson")));
        asAdmin(org)
                .body("{}")
                .post("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void variablesAreWriteOnlyAndListedWithAHintOfLongValuesOnly() {
        UUID context = createContext(org, uniqueName("vars"));
        String longValue = "s3cr3t-value-WXYZ";
        asAdmin(org)
                .body(Map.of("value", longValue))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/API_KEY", org, context)
                .then()
                .statusCode(200)
                .body("name", equalTo("API_KEY"))
                .body("hint", equalTo("****WXYZ"))
                .body("value", nullValue())
                .body(not(containsString(longValue)));
        setVariable(org, context, "SHORT", "1234567");
        setVariable(org, context, "EIGHT", "12345678");

        String listing = asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/env", org, context)
                .then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("find { it.name == 'API_KEY' }.hint", equalTo("****WXYZ"))
                .body("find { it.name == 'SHORT' }.hint", nullValue())
                .body("find { it.name == 'EIGHT' }.hint", equalTo("****5678"))
                .body("find { it.name == 'API_KEY' }.updated_at", notNullValue())
                .extract()
                .asString();
        assertFalse(listing.contains(longValue), listing);

        asAdmin(org)
                .delete("/api/v1/orgs/{org}/contexts/{c}/env/SHORT", org, context)
                .then()
                .statusCode(204);
        asAdmin(org)
                .delete("/api/v1/orgs/{org}/contexts/{c}/env/SHORT", org, context)
                .then()
                .statusCode(404);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/env", org, context)
                .then()
                .body("$", hasSize(2));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1LEADING_DIGIT",
                "HAS-DASH",
                "HAS.DOT",
                "SPACE%20INSIDE",
                "CIRCLE_OIDC_TOKEN",
                "CIRCLE_OIDC_TOKEN_V2",
                "ÄRGER"
            })
    void anInvalidOrReservedVariableNameIsRejected(String name) {
        UUID context = createContext(org, uniqueName("names"));
        asAdmin(org)
                .body(Map.of("value", "whatever-value"))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/" + name, org, context)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", not(containsString("whatever-value")));
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/env", org, context)
                .then()
                .body("$", hasSize(0));
    }

    @Test
    void aVariableNameLongerThanTheLimitIsRejected() {
        UUID context = createContext(org, uniqueName("long"));
        asAdmin(org)
                .body(Map.of("value", "v"))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/" + "A".repeat(129), org, context)
                .then()
                .statusCode(400)
                .body("detail", containsString("128"));
    }

    @Test
    void emptyAndOversizedValuesAreRejected() {
        UUID context = createContext(org, uniqueName("sizes"));
        asAdmin(org)
                .body(Map.of("value", ""))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/EMPTY", org, context)
                .then()
                .statusCode(400)
                .body("detail", containsString("non-empty"));
        asAdmin(org)
                .body(Map.of("value", "x".repeat(32769)))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/BIG", org, context)
                .then()
                .statusCode(400)
                .body("detail", containsString("32768 bytes"));
        asAdmin(org)
                .body(Map.of("value", "x".repeat(32768)))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/BIG", org, context)
                .then()
                .statusCode(200);
    }

    @Test
    void anOrgAdminCannotTouchAnotherOrgsContexts() {
        UUID context = createContext(org, uniqueName("mine"));
        UUID stranger = UUID.randomUUID();
        asAdmin(stranger)
                .get("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        asAdmin(stranger)
                .body(Map.of("value", "x"))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/X", org, context)
                .then()
                .statusCode(403);
        asAdmin(stranger)
                .delete("/api/v1/orgs/{org}/contexts/{c}", org, context)
                .then()
                .statusCode(403);
        // through its own org's path the context does not exist
        asAdmin(stranger)
                .get("/api/v1/orgs/{org}/contexts/{c}", stranger, context)
                .then()
                .statusCode(404);
        asAdmin(stranger)
                .body(Map.of("value", "x"))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/X", stranger, context)
                .then()
                .statusCode(404);
        asAdmin(org).get("/api/v1/orgs/{org}/contexts/{c}", org, context).then().statusCode(200);
    }

    @Test
    void aPlatformAdminManagesEveryOrg() {
        UUID context = createContext(org, uniqueName("platform"));
        given().auth()
                .oauth2(TestTokens.platformAdmin())
                .contentType(ContentType.JSON)
                .get("/api/v1/orgs/{org}/contexts/{c}", org, context)
                .then()
                .statusCode(200);
    }

    @Test
    void missingForgedExpiredOrMisaddressedAdminTokensAreRefused() {
        given().get("/api/v1/orgs/{org}/contexts", org).then().statusCode(401).contentType("application/problem+json");
        for (String token : new String[] {
            TestTokens.tamper(TestTokens.orgAdmin(org)),
            TestTokens.adminClaims("org-admin", org).expired().sign(),
            TestTokens.adminClaims("org-admin", org).signedByStranger().sign(),
            TestTokens.adminClaims("org-admin", org)
                    .claim("iss", "someone-else")
                    .sign(),
            TestTokens.adminClaims("org-admin", org).claim("aud", "other-api").sign(),
            TestTokens.adminClaims("org-admin", org).unsigned(),
            TestTokens.adminClaims("org-admin", org)
                    .hs256WithPublicKey(TestKeys.get().admin().getPublic().getEncoded())
        }) {
            given().auth()
                    .oauth2(token)
                    .get("/api/v1/orgs/{org}/contexts", org)
                    .then()
                    .statusCode(401);
        }
        // a valid token without an admin role
        given().auth()
                .oauth2(TestTokens.adminClaims("viewer", org).sign())
                .get("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(403);
        // a job credential is not an admin token
        given().auth()
                .oauth2(TestTokens.jobCredential(UUID.randomUUID(), org))
                .get("/api/v1/orgs/{org}/contexts", org)
                .then()
                .statusCode(401);
    }

    @Test
    void unknownContextsAndVariablesAreNotFound() {
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}", org, UUID.randomUUID())
                .then()
                .statusCode(404);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/env", org, UUID.randomUUID())
                .then()
                .statusCode(404);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/not-a-uuid", org)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
