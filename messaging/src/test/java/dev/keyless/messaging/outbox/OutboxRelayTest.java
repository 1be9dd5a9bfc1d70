package dev.keyless.messaging.outbox;

import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import dev.keyless.events.JobFinished;
import dev.keyless.events.Topics;
import dev.keyless.testing.TestInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
@QuarkusTestResource(TestInfrastructure.class)
class OutboxRelayTest {

    /** Above the producer's default max.request.size (1 MiB): the producer refuses the record by itself. */
    private static final int OVERSIZED = 2 * 1024 * 1024;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private static JobFinished event(UUID jobId, String reason) {
        return new JobFinished(
                UUID.randomUUID(),
                JobFinished.CURRENT_VERSION,
                Instant.now(),
                jobId,
                UUID.randomUUID(),
                "failed",
                1,
                reason);
    }

    private void enqueue(List<? extends JobEvent> events) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (JobEvent event : events) {
                chain = chain.chain(() -> outbox.enqueue(event));
            }
            return chain;
        }));
    }

    private static OutboxMessage row(UUID eventId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> OutboxMessage.<OutboxMessage>find("eventId", eventId).firstResult()));
    }

    /** Every record of the job-lifecycle topic keyed by one of {@code jobIds}, in each partition's order. */
    private Map<String, List<String>> eventIdsByJob(Set<String> jobIds, int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_LIFECYCLE).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, List<String>> seen = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobIds.contains(record.key())) {
                        seen.computeIfAbsent(record.key(), key -> new ArrayList<>())
                                .add(JobEventCodec.decode(record.value())
                                        .eventId()
                                        .toString());
                    }
                }
                return seen.values().stream().mapToInt(List::size).sum() >= expected;
            });
            return seen;
        }
    }

    @Test
    void eachJobsEventsReachKafkaInTheOrderTheyWereWritten() throws Throwable {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        List<JobFinished> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(event(first, "first job, event " + i));
            written.add(event(second, "second job, event " + i));
        }
        enqueue(written);

        VertxContextSupport.subscribeAndAwait(() -> relay.publishPending());

        Map<String, List<String>> received = eventIdsByJob(Set.of(first.toString(), second.toString()), 10);
        for (UUID job : List.of(first, second)) {
            List<String> inWriteOrder = written.stream()
                    .filter(e -> e.jobId().equals(job))
                    .map(e -> e.eventId().toString())
                    .toList();
            assertEquals(inWriteOrder, received.get(job.toString()), "events of job " + job);
        }
        for (JobFinished event : written) {
            assertNotNull(row(event.eventId()).publishedAt, "published_at of " + event.eventId());
        }
    }

    @Test
    void anEventKafkaRefusesStopsTheLaterEventsOfItsJobAndNoOtherJob() throws Throwable {
        UUID failing = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        JobFinished before = event(failing, "before");
        JobFinished refused = event(failing, "x".repeat(OVERSIZED));
        JobFinished after = event(failing, "after");
        JobFinished unrelated = event(other, "another job");
        enqueue(List.of(before, refused, after, unrelated));

        VertxContextSupport.subscribeAndAwait(() -> relay.publishPending());
        // a second run retries the refused event and still holds back the one after it
        VertxContextSupport.subscribeAndAwait(() -> relay.publishPending());

        assertNotNull(row(before.eventId()).publishedAt, "the event before the refused one");
        assertNotNull(row(unrelated.eventId()).publishedAt, "another job's event");
        OutboxMessage refusedRow = row(refused.eventId());
        assertNull(refusedRow.publishedAt, "the refused event");
        assertEquals(2, refusedRow.attempts, "attempts of the refused event");
        OutboxMessage afterRow = row(after.eventId());
        assertNull(afterRow.publishedAt, "the event after the refused one");
        assertEquals(0, afterRow.attempts, "the event after the refused one is never sent");
    }
}
