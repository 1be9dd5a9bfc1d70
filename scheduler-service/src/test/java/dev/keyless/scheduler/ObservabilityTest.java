package dev.keyless.scheduler;

import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static dev.keyless.scheduler.support.Api.job;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class ObservabilityTest {

    /** {@code http://host:port/q/} of the management interface. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void readinessCoversPostgresqlAndKafka() {
        given().get(management + "health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItems(containsString("Reactive PostgreSQL"), containsString("Reactive Messaging")));
    }

    @Test
    void finishedJobsAreCountedByFinalStatus() {
        Fixture fixture = Api.fixture();
        var created = Api.triggerJson(
                        fixture, Api.trigger(fixture, List.of(job("build", "make", List.of(), List.of()))))
                .statusCode(201)
                .extract();
        Api.admin()
                .post("/api/v1/pipelines/{id}/cancel", created.<String>path("id"))
                .then()
                .statusCode(200);
        given().get(management + "metrics")
                .then()
                .statusCode(200)
                .body(containsString("keyless_jobs_finished_total{status=\"canceled\"}"))
                .body(containsString("keyless_outbox_backlog"));
    }

    @Test
    void kafkaConsumerLagIsExported() {
        given().get(management + "metrics")
                .then()
                .statusCode(200)
                .body(containsString("kafka_consumer_fetch_manager_records_lag"));
    }

    @Test
    void healthMetricsAndOpenApiAreOnlyOnTheManagementPortNotOnTheApiPort() {
        for (String path : List.of("health/ready", "metrics", "openapi")) {
            given().get("/q/" + path).then().statusCode(404);
            given().get(management + path).then().statusCode(200);
        }
    }
}
