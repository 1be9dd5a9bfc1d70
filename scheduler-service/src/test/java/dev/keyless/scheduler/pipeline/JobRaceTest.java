package dev.keyless.scheduler.pipeline;

import dev.keyless.events.JobEvent;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.keyless.scheduler.support.Api.claim;
import static dev.keyless.scheduler.support.Api.job;
import static dev.keyless.scheduler.support.Api.status;
import static dev.keyless.scheduler.support.Api.withCredential;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two actors change the same jobs at the same moment, many rounds, and the state machine's invariants hold: a join
 * whose parents end together is decided exactly once, a cancel is never undone by a late write, and a cancel never
 * overwrites a job that just succeeded.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class JobRaceTest {

    private static final int JOIN_ROUNDS = 50;
    private static final int NOT_RUN_ROUNDS = 30;
    private static final int CANCEL_ROUNDS = 10;
    private static final int JOBS_PER_CANCELED_PIPELINE = 40;
    private static final int CANCEL_COMPLETE_ROUNDS = 30;

    private static final ExecutorService PARALLEL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopThreads() {
        PARALLEL.shutdownNow();
    }

    /** a, b and c requires [a, b]; a and b claimed, ready to complete. */
    private record Join(UUID a, UUID b, UUID c, String credentialA, String credentialB) {}

    @Test
    void joinIsQueuedExactlyOnceWhenItsParentsSucceedAtTheSameMoment() throws Exception {
        Fixture fixture = Api.fixture();
        List<Join> joins = prepareJoins(fixture, JOIN_ROUNDS);
        List<UUID> hung = new ArrayList<>();
        for (Join join : joins) {
            atTheSameMoment(
                    () -> complete(join.a(), join.credentialA(), 0), () -> complete(join.b(), join.credentialB(), 0));
            if (!"queued".equals(status(join.c()))) {
                hung.add(join.c());
            }
        }
        assertEquals(0, hung.size(), hung.size() + " of " + JOIN_ROUNDS + " joins stayed blocked, e.g. " + hung);
        for (Join join : joins) {
            assertEquals(1, outboxEvents(join.c(), "JobStarted"), "the join was queued more than once");
        }
    }

    @Test
    void joinIsMarkedNotRunExactlyOnceWhenOneParentFailsAsTheOtherSucceeds() throws Exception {
        Fixture fixture = Api.fixture();
        List<Join> joins = prepareJoins(fixture, NOT_RUN_ROUNDS);
        List<UUID> hung = new ArrayList<>();
        for (Join join : joins) {
            atTheSameMoment(
                    () -> complete(join.a(), join.credentialA(), 1), () -> complete(join.b(), join.credentialB(), 0));
            if (!"not_run".equals(status(join.c()))) {
                hung.add(join.c());
            }
        }
        assertEquals(0, hung.size(), hung.size() + " of " + NOT_RUN_ROUNDS + " joins were not marked not_run: " + hung);
        for (Join join : joins) {
            assertEquals(1, outboxEvents(join.c(), "JobFinished"), "the join ended more than once");
            assertEquals(0, outboxEvents(join.c(), "JobStarted"));
        }
    }

    @Test
    void aCancelRacingContextResolutionIsNeverUndoneAndNoCanceledJobIsClaimed() throws Exception {
        Fixture fixture = Api.fixture();
        for (int round = 0; round < CANCEL_ROUNDS; round++) {
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS_PER_CANCELED_PIPELINE; i++) {
                jobs.add(job("job-" + i, "make", List.of("aws-prod"), List.of()));
            }
            var created = Api.triggerJson(fixture, Api.trigger(fixture, jobs))
                    .statusCode(201)
                    .extract();
            String pipelineId = created.path("id");
            List<String> ids = created.path("workflows[0].jobs.id");
            List<JobEvent> resolutions = ids.stream()
                    .<JobEvent>map(id -> KafkaEvents.resolvedEvent(UUID.fromString(id), fixture.orgId()))
                    .toList();
            // the burst is consumed one event after the other while the cancel's transaction runs
            atTheSameMoment(
                    () -> {
                        KafkaEvents.publishAll(resolutions);
                        return null;
                    },
                    () -> {
                        // deliberately lets time pass: the cancel lands while the first events are being consumed
                        Thread.sleep(5);
                        return Api.admin()
                                .post("/api/v1/pipelines/{id}/cancel", pipelineId)
                                .then()
                                .statusCode(200);
                    });
            awaitConsumed(resolutions);
            for (String id : ids) {
                assertEquals("canceled", status(UUID.fromString(id)), "round " + round + ": a cancel was undone");
            }
            claim(fixture, 0).statusCode(204);
        }
    }

    @Test
    void aCancelRacingCompletionNeverOverwritesTheOutcomeTheExecutorWasToldAbout() throws Exception {
        Fixture fixture = Api.fixture();
        for (int round = 0; round < CANCEL_COMPLETE_ROUNDS; round++) {
            var created = Api.triggerJson(
                            fixture, Api.trigger(fixture, List.of(job("build", "make", List.of(), List.of()))))
                    .statusCode(201)
                    .extract();
            String pipelineId = created.path("id");
            UUID jobId = UUID.fromString(created.path("workflows[0].jobs[0].id"));
            KafkaEvents.resolved(jobId, fixture.orgId());
            String credential = claim(fixture, 20).statusCode(200).extract().path("credential");
            List<Object> outcomes = atTheSameMoment(() -> complete(jobId, credential, 0), () -> Api.admin()
                    .post("/api/v1/pipelines/{id}/cancel", pipelineId)
                    .then()
                    .statusCode(200));
            int completed = (Integer) outcomes.get(0);
            String status = status(jobId);
            if (completed == 200) {
                assertEquals("success", status, "round " + round + ": the cancel overwrote a job that had succeeded");
            } else {
                assertEquals(401, completed);
                assertEquals("canceled", status);
            }
            assertEquals(1, outboxEvents(jobId, "JobFinished"), "round " + round + ": the job ended twice");
        }
    }

    private List<Join> prepareJoins(Fixture fixture, int rounds) {
        List<Join> unclaimed = new ArrayList<>();
        List<JobEvent> resolutions = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Map<String, UUID> jobs = Api.triggerJobs(
                    fixture,
                    List.of(
                            job("a", "make a", List.of(), List.of()),
                            job("b", "make b", List.of(), List.of()),
                            job("c", "make c", List.of(), List.of("a", "b"))));
            unclaimed.add(new Join(jobs.get("a"), jobs.get("b"), jobs.get("c"), null, null));
            resolutions.add(KafkaEvents.resolvedEvent(jobs.get("a"), fixture.orgId()));
            resolutions.add(KafkaEvents.resolvedEvent(jobs.get("b"), fixture.orgId()));
        }
        KafkaEvents.publishAll(resolutions);
        Map<String, String> credentials = new HashMap<>();
        while (credentials.size() < 2 * rounds) {
            var claimed = claim(fixture, 20).statusCode(200).extract();
            credentials.put(claimed.path("job_id"), claimed.path("credential"));
        }
        return unclaimed.stream()
                .map(join -> new Join(
                        join.a(),
                        join.b(),
                        join.c(),
                        credentials.get(join.a().toString()),
                        credentials.get(join.b().toString())))
                .toList();
    }

    private static int complete(UUID jobId, String credential, int exitCode) {
        return withCredential(credential)
                .body(Map.of("exit_code", exitCode))
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .extract()
                .statusCode();
    }

    /** Runs both at once (released together by a barrier) and returns their results in order. */
    private static List<Object> atTheSameMoment(Callable<?> first, Callable<?> second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> one = PARALLEL.submit(() -> {
            start.await();
            return first.call();
        });
        Future<?> two = PARALLEL.submit(() -> {
            start.await();
            return second.call();
        });
        List<Object> results = new ArrayList<>();
        results.add(one.get(60, TimeUnit.SECONDS));
        results.add(two.get(60, TimeUnit.SECONDS));
        return results;
    }

    private static void awaitConsumed(List<JobEvent> events) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Connection db = database();
                    PreparedStatement query = db.prepareStatement(
                            "select count(*) from scheduler.processed_event where event_id = any (?)")) {
                query.setArray(
                        1,
                        db.createArrayOf(
                                "uuid", events.stream().map(JobEvent::eventId).toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getInt(1) == events.size();
                }
            }
        });
    }

    /** How many events of the type the scheduler wrote for the job (its outbox keeps published rows). */
    private static int outboxEvents(UUID jobId, String type) throws SQLException {
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "select count(*) from scheduler.outbox_message where message_key = ? and event_type = ?")) {
            query.setString(1, jobId.toString());
            query.setString(2, type);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Connection database() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                "");
    }
}
