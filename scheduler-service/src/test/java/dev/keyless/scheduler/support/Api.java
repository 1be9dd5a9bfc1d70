package dev.keyless.scheduler.support;

import dev.keyless.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;

/** Calls of the scheduler API that many tests need, as a platform admin unless told otherwise. */
public final class Api {

    public static final String EXECUTOR_TOKEN = "test-executor-token-0123456789abcdef";

    private Api() {}

    public static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON);
    }

    /** A platform admin sending a YAML config. */
    public static RequestSpecification adminYaml() {
        return given().auth()
                .oauth2(TestTokens.platformAdmin())
                .config(RestAssured.config()
                        .encoderConfig(EncoderConfig.encoderConfig()
                                .encodeContentTypeAs("application/x-yaml", ContentType.TEXT)))
                .contentType("application/x-yaml");
    }

    public static RequestSpecification orgAdmin(UUID orgId) {
        return given().auth().oauth2(TestTokens.orgAdmin(orgId)).contentType(ContentType.JSON);
    }

    public static RequestSpecification executor() {
        return given().auth().oauth2(EXECUTOR_TOKEN);
    }

    /** An org with a project and a user in group "deployers"; every id fresh. */
    public record Fixture(UUID orgId, UUID projectId, UUID userId) {}

    public static Fixture fixture() {
        UUID orgId = UUID.fromString(admin().body(Map.of("name", "org-" + UUID.randomUUID()))
                .post("/api/v1/orgs")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
        UUID projectId = UUID.fromString(admin().body(Map.of("name", "app", "vcs_origin", "github.com/acme/app"))
                .post("/api/v1/orgs/{orgId}/projects", orgId)
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
        admin().body(Map.of("name", "deployers"))
                .post("/api/v1/orgs/{orgId}/groups", orgId)
                .then()
                .statusCode(201);
        UUID userId = UUID.fromString(admin().body(Map.of("name", "alice", "groups", List.of("deployers")))
                .post("/api/v1/orgs/{orgId}/users", orgId)
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
        return new Fixture(orgId, projectId, userId);
    }

    /** A JSON job. */
    public static Map<String, Object> job(String name, String command, List<String> contexts, List<String> requires) {
        return Map.of(
                "name",
                name,
                "command",
                command,
                "contexts",
                contexts,
                "requires",
                requires,
                "ssh_rerun",
                false,
                "timeout_seconds",
                600);
    }

    /** A JSON trigger of one workflow "main". */
    public static Map<String, Object> trigger(Fixture fixture, List<Map<String, Object>> jobs) {
        return Map.of(
                "ref",
                "refs/heads/main",
                "revision",
                "0123456789abcdef",
                "trigger_source",
                "api",
                "user_id",
                fixture.userId().toString(),
                "workflows",
                List.of(Map.of("name", "main", "jobs", jobs)));
    }

    public static ValidatableResponse triggerJson(Fixture fixture, Object body) {
        return admin().body(body)
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then();
    }

    /** Triggers and returns the job ids by name. */
    public static Map<String, UUID> triggerJobs(Fixture fixture, List<Map<String, Object>> jobs) {
        List<Map<String, Object>> created = triggerJson(fixture, trigger(fixture, jobs))
                .statusCode(201)
                .extract()
                .path("workflows[0].jobs");
        return created.stream()
                .collect(Collectors.toMap(
                        job -> (String) job.get("name"), job -> UUID.fromString((String) job.get("id"))));
    }

    public static String status(UUID jobId) {
        return admin().get("/api/v1/jobs/{jobId}", jobId)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
    }

    /** Claims for the fixture's project only, so jobs of other tests never interfere. */
    public static ValidatableResponse claim(Fixture fixture, int waitSeconds) {
        return executor()
                .queryParam("project_id", fixture.projectId())
                .queryParam("wait_seconds", waitSeconds)
                .post("/api/v1/executor/claim")
                .then();
    }

    public static RequestSpecification withCredential(String credential) {
        return given().auth().oauth2(credential).contentType(ContentType.JSON);
    }
}
