package dev.keyless.scheduler.outbox;

import dev.keyless.events.JobEvent;
import dev.keyless.events.JobFinished;
import dev.keyless.events.JobStarted;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.keyless.scheduler.support.Api.job;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox across a broker outage: events written while Kafka is down wait in PostgreSQL, and once it is back
 * every one arrives, in order per job. Duplicates are allowed (at-least-once) and counted.
 */
@QuarkusTest
@TestProfile(OutboxBrokerOutageTest.DedicatedBroker.class)
@QuarkusTestResource(KeylessTestResource.class)
class OutboxBrokerOutageTest {

    /** {@code http://host:port/q/} of the management interface. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    public static class DedicatedBroker implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OutageBroker.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // fail fast while the broker is away so the relay retries often
            return Map.of("keyless.outbox.send-timeout", "2s");
        }
    }

    private static final int PIPELINES = 10;

    @Test
    void everyEventWrittenDuringABrokerOutageArrivesInOrderPerJobAfterTheBrokerIsBack() {
        Fixture fixture = Api.fixture();
        // the relay is connected before the outage
        UUID warmup = Api.triggerJobs(fixture, List.of(job("warmup", "true", List.of(), List.of())))
                .get("warmup");
        assertEquals(
                1,
                KafkaEvents.lifecycleEvents(
                                OutageBroker.BOOTSTRAP,
                                List.of(warmup),
                                events -> !events.isEmpty(),
                                Duration.ofSeconds(60))
                        .size());

        OutageBroker.stopBroker();
        // per job, the events in the order the scheduler wrote them
        Map<UUID, List<String>> expected = new LinkedHashMap<>();
        for (int i = 0; i < PIPELINES; i++) {
            var created = Api.triggerJson(
                            fixture,
                            Api.trigger(
                                    fixture,
                                    List.of(
                                            job("build", "make", List.of(), List.of()),
                                            job("deploy", "make deploy", List.of(), List.of("build")))))
                    .statusCode(201)
                    .extract();
            UUID build = UUID.fromString(created.path("workflows[0].jobs[0].id"));
            UUID deploy = UUID.fromString(created.path("workflows[0].jobs[1].id"));
            Api.admin()
                    .post("/api/v1/pipelines/{id}/cancel", created.<String>path("id"))
                    .then()
                    .statusCode(200);
            expected.put(build, List.of("JobStarted", "JobFinished:canceled"));
            expected.put(deploy, List.of("JobFinished:canceled"));
        }
        int sent = expected.values().stream().mapToInt(List::size).sum();
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog() >= sent);

        OutageBroker.startBroker();
        Set<UUID> seenIds = new HashSet<>();
        List<JobEvent> received = KafkaEvents.lifecycleEvents(
                OutageBroker.BOOTSTRAP,
                expected.keySet(),
                events -> {
                    seenIds.clear();
                    events.forEach(e -> seenIds.add(e.eventId()));
                    return seenIds.size() == sent;
                },
                Duration.ofSeconds(180));

        Set<UUID> distinct = new HashSet<>();
        received.forEach(e -> distinct.add(e.eventId()));
        int duplicates = received.size() - distinct.size();
        System.out.printf(
                "OUTBOX OUTAGE: sent=%d received=%d distinct=%d duplicates=%d%n",
                sent, received.size(), distinct.size(), duplicates);
        assertEquals(sent, distinct.size(), "every event written during the outage arrived");

        for (Map.Entry<UUID, List<String>> job : expected.entrySet()) {
            List<String> order = new ArrayList<>();
            Set<UUID> firstSeen = new HashSet<>();
            for (JobEvent event : received) {
                if (event.jobId().equals(job.getKey()) && firstSeen.add(event.eventId())) {
                    order.add(
                            event instanceof JobFinished finished
                                    ? "JobFinished:" + finished.status()
                                    : event instanceof JobStarted
                                            ? "JobStarted"
                                            : event.getClass().getSimpleName());
                }
            }
            assertEquals(job.getValue(), order, "events of job " + job.getKey() + " in order");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
        assertTrue(received.size() >= sent);
    }

    /** The relay's gauge of events not yet acknowledged by Kafka. */
    private double backlog() {
        String metrics = given().get(management + "metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(line -> line.startsWith("keyless_outbox_backlog"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }
}
