package dev.keyless.scheduler.outbox;

import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.keyless.scheduler.support.Api.job;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The relay wakes on the commit of an outbox write (the sweep is an hour apart here, so only the wake-up can
 * publish in time), sends a batch pipelined with each job's events in order, and a failed event holds back the
 * rest of its job without losing anything.
 */
@QuarkusTest
@TestProfile(OutboxRelayTest.HourlySweep.class)
@QuarkusTestResource(KeylessTestResource.class)
class OutboxRelayTest {

    public static class HourlySweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyless.outbox.poll-interval", "1h", "keyless.outbox.send-timeout", "5s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void anEventLeavesWithinTwoSecondsOfItsCommitWhileTheSweepIsAnHourApart() {
        awaitRelayReady();
        Fixture fixture = Api.fixture();

        for (int round = 0; round < 5; round++) {
            UUID jobId = Api.triggerJobs(fixture, List.of(job("build", "make", List.of(), List.of())))
                    .get("build");
            await().atMost(Duration.ofSeconds(2)).until(() -> allPublished(jobId.toString()));
        }
    }

    @Test
    void everyJobsEventsArriveInOrderWhenABatchIsSentPipelined() {
        awaitRelayReady();
        String topic = "keyless.outbox-test-" + UUID.randomUUID();
        int jobs = 40;
        int eventsPerJob = 4;
        List<String> keys = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            keys.add(UUID.randomUUID().toString());
        }
        // interleaved across jobs in one transaction, as busy writers leave them
        List<Tuple> rows = new ArrayList<>();
        for (int seq = 0; seq < eventsPerJob; seq++) {
            for (String key : keys) {
                rows.add(row(topic, key, key + "#" + seq));
            }
        }
        insertAndNotify(rows);

        Map<String, List<String>> received = consume(topic, byKey -> keys.stream()
                .allMatch(key -> byKey.getOrDefault(key, List.of()).size() >= eventsPerJob));
        for (String key : keys) {
            List<String> expected = new ArrayList<>();
            for (int seq = 0; seq < eventsPerJob; seq++) {
                expected.add(key + "#" + seq);
            }
            assertEquals(expected, received.get(key).stream().distinct().toList(), "events of job " + key);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> keys.stream().allMatch(this::allPublished));
    }

    @Test
    void aFailedEventHoldsBackTheRestOfItsJobAndEverythingArrivesOnceItGoesThrough() {
        awaitRelayReady();
        String topic = "keyless.outbox-test-" + UUID.randomUUID();
        String failing = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        // over the producer's max.request.size (1 MiB): Kafka refuses this one record, and only it
        String oversized = "x".repeat(2 * 1024 * 1024);
        insertAndNotify(List.of(
                row(topic, failing, failing + "#0"), row(topic, healthy, healthy + "#0"),
                row(topic, failing, oversized), row(topic, healthy, healthy + "#1"),
                row(topic, failing, failing + "#2"), row(topic, healthy, healthy + "#2")));

        Map<String, List<String>> received = consume(
                topic, byKey -> byKey.getOrDefault(healthy, List.of()).size() >= 3 && byKey.containsKey(failing));
        assertEquals(List.of(healthy + "#0", healthy + "#1", healthy + "#2"), received.get(healthy));
        // retried on later runs, and never overtaken by the job's next event
        await().atMost(Duration.ofSeconds(15)).until(() -> attempts(failing, 1) >= 2);
        assertNull(publishedAt(failing, 2), "the event after the failed one waits");

        // once the event can go, it and the one it held back arrive, in order: had the held-back event been sent
        // earlier, it would come before its predecessor here
        pool.withTransaction(connection -> connection
                        .preparedQuery(
                                """
                        update outbox_message set payload = $1
                        where message_key = $2 and payload = $3""")
                        .execute(Tuple.of(failing + "#1", failing, oversized))
                        .chain(() -> connection.query("NOTIFY keyless_outbox").execute()))
                .await()
                .indefinitely();
        received =
                consume(topic, byKey -> byKey.getOrDefault(failing, List.of()).size() >= 3);
        assertEquals(
                List.of(failing + "#0", failing + "#1", failing + "#2"),
                received.get(failing).stream().distinct().toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> allPublished(failing) && allPublished(healthy));
    }

    /** The first sweep (after the initial delay) starts the relay listening; only wake-ups run it after that. */
    private void awaitRelayReady() {
        UUID warmup = Api.triggerJobs(Api.fixture(), List.of(job("warmup", "true", List.of(), List.of())))
                .get("warmup");
        await().atMost(Duration.ofSeconds(30)).until(() -> allPublished(warmup.toString()));
    }

    private static Tuple row(String topic, String key, String payload) {
        return Tuple.of(UUID.randomUUID(), topic, key, payload);
    }

    /** Writes outbox rows as Outbox.enqueue does: the rows and the notification commit together. */
    private void insertAndNotify(List<Tuple> rows) {
        pool.withTransaction(connection -> connection
                        .preparedQuery(
                                """
                        insert into outbox_message (event_id, topic, message_key, event_type, payload, created_at)
                        values ($1, $2, $3, 'TestEvent', $4, now())""")
                        .executeBatch(rows)
                        .chain(() -> connection.query("NOTIFY keyless_outbox").execute()))
                .await()
                .indefinitely();
    }

    private boolean allPublished(String key) {
        Row row = pool.preparedQuery(
                        """
                        select count(*) as total, count(published_at) as published
                        from outbox_message where message_key = $1""")
                .execute(Tuple.of(key))
                .await()
                .indefinitely()
                .iterator()
                .next();
        return row.getLong("total") > 0 && row.getLong("total").equals(row.getLong("published"));
    }

    /** Attempts of the job's index-th row (in write order). */
    private int attempts(String key, int index) {
        return jobRows(key).get(index).getInteger("attempts");
    }

    private Object publishedAt(String key, int index) {
        return jobRows(key).get(index).getValue("published_at");
    }

    private List<Row> jobRows(String key) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("select attempts, published_at from outbox_message where message_key = $1 order by id")
                .execute(Tuple.of(key))
                .await()
                .indefinitely()
                .forEach(rows::add);
        return rows;
    }

    /** Reads the topic from its start until {@code done} holds or a minute passes: payloads per key, in order. */
    private static Map<String, List<String>> consume(String topic, Predicate<Map<String, List<String>>> done) {
        Duration timeout = Duration.ofSeconds(60);
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaEvents.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "outbox-relay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(byKey)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    byKey.computeIfAbsent(record.key(), key -> new ArrayList<>())
                            .add(record.value());
                }
            }
        }
        return byKey;
    }
}
