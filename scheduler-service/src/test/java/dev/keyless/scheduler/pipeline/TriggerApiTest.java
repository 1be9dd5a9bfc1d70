package dev.keyless.scheduler.pipeline;

import dev.keyless.events.JobStarted;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.keyless.scheduler.support.Api.admin;
import static dev.keyless.scheduler.support.Api.job;
import static dev.keyless.scheduler.support.Api.trigger;
import static dev.keyless.scheduler.support.Api.triggerJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class TriggerApiTest {

    private static final String CONFIG =
            """
            version: 2.1
            jobs:
              build:
                steps:
                  - run: make
              deploy:
                steps:
                  - run:
                      command: ./deploy.sh
            workflows:
              release:
                jobs:
                  - build:
                      filters: {tags: {only: /v.*/}}
                  - deploy:
                      context: aws-prod
                      requires: [build]
                      filters: {tags: {only: /v.*/}}
            """;

    @Test
    void yamlConfigTriggersAPipelineWithRefRevisionAndSourceFromTheQuery() {
        Fixture fixture = Api.fixture();
        var created = Api.adminYaml()
                .body(CONFIG)
                .queryParam("tag", "v1.2.0")
                .queryParam("revision", "deadbeef")
                .queryParam("trigger_source", "push")
                .queryParam("user_id", fixture.userId())
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(201)
                .body("vcs_ref", equalTo("refs/tags/v1.2.0"))
                .body("trigger_source", equalTo("push"))
                .body("workflows[0].name", equalTo("release"))
                .body("workflows[0].jobs.name", equalTo(List.of("build", "deploy")))
                .body("workflows[0].jobs.status", equalTo(List.of("queued", "blocked")))
                .extract();
        UUID deploy = UUID.fromString(created.path("workflows[0].jobs[1].id"));
        admin().get("/api/v1/jobs/{jobId}", deploy)
                .then()
                .statusCode(200)
                .body("contexts", equalTo(List.of("aws-prod")))
                .body("steps.command", equalTo(List.of("./deploy.sh")))
                .body("steps.name", equalTo(List.of("./deploy.sh")))
                .body("requires", equalTo(List.of("build")));
        UUID build = UUID.fromString(created.path("workflows[0].jobs[0].id"));
        JobStarted started = (JobStarted)
                KafkaEvents.awaitEach(List.of(build), JobStarted.class).get(0);
        assertEquals("refs/tags/v1.2.0", started.vcsRef());
        assertEquals("deadbeef", started.revision());
        assertEquals("push", started.triggerSource());
    }

    @Test
    void severalWorkflowsRunSideBySide() {
        Fixture fixture = Api.fixture();
        Map<String, Object> body = new HashMap<>(trigger(fixture, List.of(job("build", "make", List.of(), List.of()))));
        body.put(
                "workflows",
                List.of(
                        Map.of("name", "ci", "jobs", List.of(job("build", "make", List.of(), List.of()))),
                        Map.of("name", "docs", "jobs", List.of(job("build", "make docs", List.of(), List.of())))));
        triggerJson(fixture, body)
                .statusCode(201)
                .body("workflows.name", equalTo(List.of("ci", "docs")))
                .body("workflows[1].jobs[0].status", equalTo("queued"));
    }

    @Test
    void retriedTriggerWithTheSameIdempotencyKeyReturnsTheSamePipeline() {
        Fixture fixture = Api.fixture();
        Map<String, Object> body = trigger(fixture, List.of(job("build", "make", List.of(), List.of())));
        String key = "retry-" + UUID.randomUUID();
        String first = admin().header("Idempotency-Key", key)
                .body(body)
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String firstJob =
                admin().get("/api/v1/pipelines/{id}", first).then().extract().path("workflows[0].jobs[0].id");
        String second = admin().header("Idempotency-Key", key)
                .body(body)
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(201)
                .body("workflows[0].jobs[0].id", equalTo(firstJob))
                .extract()
                .path("id");
        assertEquals(first, second);

        Map<String, Object> different = trigger(fixture, List.of(job("build", "make other", List.of(), List.of())));
        admin().header("Idempotency-Key", key)
                .body(different)
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key"));

        // the key is scoped to the project: another project may use it for its own pipeline
        Fixture other = Api.fixture();
        String third = admin().header("Idempotency-Key", key)
                .body(trigger(other, List.of(job("build", "make", List.of(), List.of()))))
                .post("/api/v1/projects/{projectId}/pipelines", other.projectId())
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Assertions.assertNotEquals(first, third);
        // without a key, the same body makes a new pipeline
        String fourth = triggerJson(fixture, body).statusCode(201).extract().path("id");
        Assertions.assertNotEquals(first, fourth);
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyCreateOnePipeline() throws Exception {
        Fixture fixture = Api.fixture();
        Map<String, Object> body = trigger(fixture, List.of(job("build", "make", List.of(), List.of())));
        String key = "race-" + UUID.randomUUID();
        var pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> admin().header("Idempotency-Key", key)
                        .body(body)
                        .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                        .then()
                        .statusCode(201)
                        .extract()
                        .<String>path("id")));
            }
            Set<String> ids = new HashSet<>();
            for (var result : results) {
                ids.add(result.get());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidTriggersAre400ProblemsAndWriteNothing() {
        Fixture fixture = Api.fixture();
        admin().body("{\"ref\": \"main\",")
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        Map<String, Object> unknownField =
                new HashMap<>(trigger(fixture, List.of(job("a", "echo", List.of(), List.of()))));
        unknownField.put("require", List.of());
        triggerJson(fixture, unknownField).statusCode(400).body("detail", containsString("unknown field 'require'"));
        Map<String, Object> stepsInJson = new HashMap<>(job("a", "echo", List.of(), List.of()));
        stepsInJson.put("steps", List.of(Map.of("type", "run", "command", "echo")));
        triggerJson(fixture, trigger(fixture, List.of(stepsInJson)))
                .statusCode(400)
                .body("detail", containsString("field 'steps' comes from a CircleCI config only"));
        triggerJson(
                        fixture,
                        trigger(
                                fixture,
                                List.of(
                                        job("build", "make", List.of(), List.of()),
                                        job("deploy", "d", List.of(), List.of("biuld")))))
                .statusCode(400)
                .body("detail", containsString("unknown job 'biuld'"));
        triggerJson(
                        fixture,
                        trigger(
                                fixture,
                                List.of(
                                        job("a", "x", List.of(), List.of("b")),
                                        job("b", "x", List.of(), List.of("a")))))
                .statusCode(400)
                .body("detail", containsString("cycle"));
        triggerJson(
                        fixture,
                        trigger(
                                fixture,
                                List.of(job("a", "x", List.of(), List.of()), job("a", "x", List.of(), List.of()))))
                .statusCode(400)
                .body("detail", containsString("duplicate job name 'a'"));
        Map<String, Object> foreignUser = new HashMap<>(trigger(fixture, List.of(job("a", "x", List.of(), List.of()))));
        foreignUser.put("user_id", Api.fixture().userId().toString());
        triggerJson(fixture, foreignUser)
                .statusCode(400)
                .body("detail", containsString("not a user of the project's org"));
        triggerJson(fixture, trigger(fixture, List.of(job("a", "x".repeat(70_000), List.of(), List.of()))))
                .statusCode(400)
                .body("detail", containsString("command"));
        Api.adminYaml()
                .body(CONFIG + "# padding\n".repeat(30_000))
                .queryParam("branch", "main")
                .queryParam("revision", "abc")
                .queryParam("user_id", fixture.userId())
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(400)
                .body("detail", containsString("larger than"));
        Api.adminYaml()
                .body(CONFIG)
                .queryParam("branch", "main")
                .queryParam("revision", "abc")
                .queryParam("user_id", "not-a-uuid")
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(400)
                .body("detail", containsString("user_id"));
        admin().header("Idempotency-Key", "has space")
                .body(trigger(fixture, List.of(job("a", "x", List.of(), List.of()))))
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(400);

        // nothing of the refused triggers was written: one valid trigger later, the project has exactly one pipeline
        triggerJson(fixture, trigger(fixture, List.of(job("ok", "x", List.of(), List.of()))))
                .statusCode(201);
        admin().get("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(200)
                .body("$", hasSize(1));
    }
}
