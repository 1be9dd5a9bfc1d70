package dev.keyless.scheduler.org;

import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.HostileTokens;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.scheduler.support.Api.admin;
import static dev.keyless.scheduler.support.Api.job;
import static dev.keyless.scheduler.support.Api.orgAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class AdminApiTest {

    @Test
    void platformAdminCreatesOrgAndOrgAdminCreatesProjectUsersAndGroups() {
        UUID orgId = UUID.fromString(admin().body(Map.of("name", "acme"))
                .post("/api/v1/orgs")
                .then()
                .statusCode(201)
                .body("name", equalTo("acme"))
                .extract()
                .path("id"));
        orgAdmin(orgId)
                .body(Map.of("name", "web", "vcs_origin", "github.com/acme/web"))
                .post("/api/v1/orgs/{orgId}/projects", orgId)
                .then()
                .statusCode(201)
                .body("org_id", equalTo(orgId.toString()))
                .body("vcs_origin", equalTo("github.com/acme/web"));
        orgAdmin(orgId)
                .body(Map.of("name", "sre"))
                .post("/api/v1/orgs/{orgId}/groups", orgId)
                .then()
                .statusCode(201);
        orgAdmin(orgId)
                .body(Map.of("name", "dev"))
                .post("/api/v1/orgs/{orgId}/groups", orgId)
                .then()
                .statusCode(201);
        String userId = orgAdmin(orgId)
                .body(Map.of("name", "bob", "groups", List.of("sre")))
                .post("/api/v1/orgs/{orgId}/users", orgId)
                .then()
                .statusCode(201)
                .body("groups", equalTo(List.of("sre")))
                .extract()
                .path("id");
        orgAdmin(orgId)
                .body(Map.of("groups", List.of("dev", "sre")))
                .put("/api/v1/orgs/{orgId}/users/{userId}/groups", orgId, userId)
                .then()
                .statusCode(200)
                .body("groups", equalTo(List.of("dev", "sre")));
        orgAdmin(orgId)
                .get("/api/v1/orgs/{orgId}/users/{userId}", orgId, userId)
                .then()
                .statusCode(200)
                .body("name", equalTo("bob"));
    }

    @Test
    void orgAdminCannotCreateOrgs() {
        orgAdmin(UUID.randomUUID())
                .body(Map.of("name", "x"))
                .post("/api/v1/orgs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void orgAdminOfAnotherOrgIsForbiddenEverywhere() {
        Fixture fixture = Api.fixture();
        UUID other = UUID.randomUUID();
        String jobId = Api.triggerJobs(fixture, List.of(job("build", "make", List.of(), List.of())))
                .get("build")
                .toString();
        String pipelineId =
                admin().get("/api/v1/jobs/{jobId}", jobId).then().extract().path("pipeline_id");

        orgAdmin(other)
                .body(Map.of("name", "p", "vcs_origin", "github.com/a/b"))
                .post("/api/v1/orgs/{orgId}/projects", fixture.orgId())
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        orgAdmin(other)
                .body(Map.of("name", "eve"))
                .post("/api/v1/orgs/{orgId}/users", fixture.orgId())
                .then()
                .statusCode(403);
        orgAdmin(other)
                .body(Api.trigger(fixture, List.of(job("a", "echo", List.of(), List.of()))))
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(403);
        orgAdmin(other).get("/api/v1/jobs/{jobId}", jobId).then().statusCode(403);
        orgAdmin(other).get("/api/v1/pipelines/{id}", pipelineId).then().statusCode(403);
        orgAdmin(other).post("/api/v1/pipelines/{id}/cancel", pipelineId).then().statusCode(403);
        orgAdmin(fixture.orgId()).get("/api/v1/jobs/{jobId}", jobId).then().statusCode(200);
        Assertions.assertEquals("queued", Api.status(UUID.fromString(jobId)));
    }

    @Test
    void unknownIdsAreNotFoundProblems() {
        UUID unknown = UUID.randomUUID();
        admin().body(Map.of("name", "p", "vcs_origin", "github.com/a/b"))
                .post("/api/v1/orgs/{orgId}/projects", unknown)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString(unknown.toString()));
        admin().body(Map.of("name", "a"))
                .post("/api/v1/orgs/{orgId}/users", unknown)
                .then()
                .statusCode(404);
        admin().body(Map.of())
                .post("/api/v1/projects/{projectId}/pipelines", unknown)
                .then()
                .statusCode(404);
        admin().get("/api/v1/jobs/{jobId}", unknown).then().statusCode(404);
        admin().get("/api/v1/pipelines/{id}", unknown).then().statusCode(404);
        admin().get("/api/v1/jobs/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void missingExpiredTamperedAndForeignAdminTokensAreRefused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "x"))
                .post("/api/v1/orgs")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        for (String token : List.of(
                HostileTokens.expiredAdmin(),
                TestTokens.tamper(TestTokens.platformAdmin()),
                HostileTokens.strangerSignedAdmin(),
                HostileTokens.adminWith("iss", "someone-else"),
                HostileTokens.adminWith("aud", "other-api"),
                HostileTokens.unsignedAdmin(),
                HostileTokens.hs256Admin())) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "x"))
                    .post("/api/v1/orgs")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void badInputIsA400ProblemWithoutInternals() {
        admin().body("{\"name\": ")
                .post("/api/v1/orgs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", not(containsString("com.fasterxml")))
                .body("detail", not(containsString("Exception")));
        admin().body(Map.of("name", ""))
                .post("/api/v1/orgs")
                .then()
                .statusCode(400)
                .body("detail", containsString("name"));
        UUID orgId = Api.fixture().orgId();
        admin().body(Map.of("name", "p", "vcs_origin", "not an origin"))
                .post("/api/v1/orgs/{orgId}/projects", orgId)
                .then()
                .statusCode(400)
                .body("detail", containsString("vcs_origin"));
        admin().body(Map.of("name", "app", "vcs_origin", "github.com/acme/app"))
                .post("/api/v1/orgs/{orgId}/projects", orgId)
                .then()
                .statusCode(409);
        admin().body(Map.of("name", "carol", "groups", List.of("no-such-group")))
                .post("/api/v1/orgs/{orgId}/users", orgId)
                .then()
                .statusCode(400)
                .body("detail", containsString("no-such-group"));
    }
}
