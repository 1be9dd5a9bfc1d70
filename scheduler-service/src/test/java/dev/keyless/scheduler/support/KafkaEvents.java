package dev.keyless.scheduler.support;

import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import dev.keyless.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Plain Kafka clients standing in for context-service: publishes its verdicts on {@code keyless.job-contexts}
 * and reads what scheduler-service published on {@code keyless.job-lifecycle}.
 */
public final class KafkaEvents {

    private KafkaEvents() {}

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static void resolved(UUID jobId, UUID orgId) {
        publish(resolvedEvent(jobId, orgId));
    }

    public static void denied(UUID jobId, UUID orgId, String context, String reason) {
        publish(new JobContextsDenied(UUID.randomUUID(), 1, Instant.now(), jobId, orgId, context, reason));
    }

    public static void publish(JobEvent event) {
        publishRaw(event.jobId().toString(), JobEventCodec.encode(event));
    }

    /** Publishes all the events through one producer, as a burst, and waits for every acknowledgement. */
    public static void publishAll(List<? extends JobEvent> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            List<Future<?>> sent = new ArrayList<>();
            for (JobEvent event : events) {
                sent.add(producer.send(new ProducerRecord<>(
                        Topics.JOB_CONTEXTS, event.jobId().toString(), JobEventCodec.encode(event))));
            }
            for (Future<?> ack : sent) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to Kafka", e);
        }
    }

    public static JobContextsResolved resolvedEvent(UUID jobId, UUID orgId) {
        return new JobContextsResolved(
                UUID.randomUUID(),
                1,
                Instant.now(),
                jobId,
                orgId,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                List.of(),
                60);
    }

    public static void publishRaw(String key, String payload) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.JOB_CONTEXTS, key, payload))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to Kafka", e);
        }
    }

    /**
     * Reads {@code keyless.job-lifecycle} from the beginning until {@code done} holds for the events of the given
     * jobs (in the order they were read), or the timeout passes; returns those events.
     */
    public static List<JobEvent> lifecycleEvents(
            Collection<UUID> jobIds, Predicate<List<JobEvent>> done, Duration timeout) {
        return lifecycleEvents(bootstrapServers(), jobIds, done, timeout);
    }

    /** Every record read counts, duplicates included. */
    public static List<JobEvent> lifecycleEvents(
            String bootstrapServers, Collection<UUID> jobIds, Predicate<List<JobEvent>> done, Duration timeout) {
        Set<UUID> wanted = Set.copyOf(jobIds);
        List<JobEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "scheduler-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.JOB_LIFECYCLE));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JobEvent event = JobEventCodec.decode(record.value());
                    if (wanted.contains(event.jobId())) {
                        if (!record.key().equals(event.jobId().toString())) {
                            throw new AssertionError("record not keyed by its job id");
                        }
                        events.add(event);
                    }
                }
                if (done.test(events)) {
                    break;
                }
            }
        }
        return events;
    }

    /** Waits until each job's events include one of the given type. */
    public static List<JobEvent> awaitEach(Collection<UUID> jobIds, Class<? extends JobEvent> type) {
        return lifecycleEvents(
                jobIds,
                events -> jobIds.stream()
                        .allMatch(id -> events.stream().anyMatch(e -> e.jobId().equals(id) && type.isInstance(e))),
                Duration.ofSeconds(60));
    }
}
