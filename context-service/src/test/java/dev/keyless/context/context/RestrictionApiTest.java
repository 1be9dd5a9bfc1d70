package dev.keyless.context.context;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.keyless.context.support.Api.addRestriction;
import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Restrictions are validated when written; a CEL error says where it is. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class RestrictionApiTest {

    private final UUID org = UUID.randomUUID();
    private UUID context;

    @BeforeEach
    void createTheContext() {
        context = createContext(org, uniqueName("restricted"));
    }

    private ValidatableResponse add(String type, String value) {
        return asAdmin(org)
                .body(Map.of("type", type, "value", value))
                .post("/api/v1/orgs/{org}/contexts/{c}/restrictions", org, context)
                .then();
    }

    @Test
    void aSyntaxErrorIsA400ThatSaysWhere() {
        add("expression", "pipeline.git.branch ==")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid restriction expression"))
                .body("detail", containsString("at line 1, column 23"))
                .body("errors[0].line", equalTo(1))
                .body("errors[0].column", equalTo(23));
    }

    @Test
    void aTypeErrorIsA400ThatSaysWhere() {
        add("expression", "pipeline.git.branch == 1")
                .statusCode(400)
                .body("errors[0].line", equalTo(1))
                .body("errors[0].column", equalTo(21))
                .body("errors[0].message", containsString("no matching overload"));
    }

    @Test
    void anExpressionThatIsNotBooleanIsRejected() {
        add("expression", "pipeline.git.branch")
                .statusCode(400)
                .body("errors[0].message", containsString("expected type 'bool'"));
    }

    @Test
    void anUnknownNameIsRejectedOnItsLineWithTheNamesThatExist() {
        add("expression", "pipeline.git.branch == \"main\" &&\n  pipeline.git.branc == \"x\"")
                .statusCode(400)
                .body("errors[0].line", equalTo(2))
                .body("errors[0].column", equalTo(3))
                .body("errors[0].message", containsString("pipeline.git.branch"));
    }

    @Test
    void pipelineParametersAreNotAllowed() {
        add("expression", "pipeline.git.branch == \"main\" || pipeline.parameters.deploy == true")
                .statusCode(400)
                .body("errors[0].column", equalTo(34))
                .body("errors[0].message", containsString("pipeline parameters are not allowed"));
    }

    @Test
    void anOverlongExpressionIsRejected() {
        add("expression", "true && ".repeat(130) + "true").statusCode(400).body("detail", containsString("1000"));
    }

    @Test
    void anUnknownTypeABadProjectIdAndABadGroupNameAreRejected() {
        add("branch", "main")
                .statusCode(400)
                .body("detail", equalTo("type: must be one of group, project, expression"));
        add("project", "not-a-uuid").statusCode(400).body("detail", containsString("project id"));
        add("group", "bad\ngroup").statusCode(400).body("detail", containsString("security group name"));
    }

    @Test
    void validRestrictionsAreListedAndDeletedAndDuplicatesRefused() {
        String id = addRestriction(org, context, "expression", "pipeline.git.tag.startsWith(\"v\")");
        addRestriction(org, context, "group", "deployers");
        add("group", "deployers").statusCode(409);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/restrictions", org, context)
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("[0].type", equalTo("expression"));
        asAdmin(org)
                .delete("/api/v1/orgs/{org}/contexts/{c}/restrictions/{r}", org, context, id)
                .then()
                .statusCode(204);
        asAdmin(org)
                .delete("/api/v1/orgs/{org}/contexts/{c}/restrictions/{r}", org, context, id)
                .then()
                .statusCode(404);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/restrictions", org, context)
                .then()
                .body("$", hasSize(1));
    }

    @Test
    void anotherOrgsAdminCannotReadOrChangeRestrictions() {
        UUID stranger = UUID.randomUUID();
        asAdmin(stranger)
                .get("/api/v1/orgs/{org}/contexts/{c}/restrictions", org, context)
                .then()
                .statusCode(403);
        asAdmin(stranger)
                .body(Map.of("type", "group", "value", "x"))
                .post("/api/v1/orgs/{org}/contexts/{c}/restrictions", org, context)
                .then()
                .statusCode(403);
        asAdmin(stranger)
                .put("/api/v1/orgs/{org}/fork-pull-requests/projects/{p}", org, UUID.randomUUID())
                .then()
                .statusCode(403);
    }
}
