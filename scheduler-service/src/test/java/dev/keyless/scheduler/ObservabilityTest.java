package dev.keyless.scheduler;

import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.keyless.scheduler.support.Api.job;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class ObservabilityTest {

    @Test
    void readinessCoversPostgresqlAndKafka() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems(containsString("Reactive PostgreSQL"),
                        containsString("Reactive Messaging")));
    }

    @Test
    void finishedJobsAreCountedByFinalStatus() {
        Fixture fixture = Api.fixture();
        var created = Api.triggerJson(fixture, Api.trigger(fixture, List.of(job("build", "make", List.of(), List.of()))))
                .statusCode(201).extract();
        Api.admin().post("/api/v1/pipelines/{id}/cancel", created.<String>path("id")).then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("keyless_jobs_finished_total{status=\"canceled\"}"))
                .body(containsString("keyless_outbox_backlog"));
    }

    @Test
    void kafkaConsumerLagIsExported() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kafka_consumer_fetch_manager_records_lag"));
    }
}
