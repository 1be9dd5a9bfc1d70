package dev.keyless.context.support;

import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import dev.keyless.events.JobFinished;
import dev.keyless.events.JobStarted;
import dev.keyless.events.Topics;
import dev.keyless.testing.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Drives context-service through the real broker, as the scheduler and the other consumers see it: produces
 * JobStarted / JobFinished with a plain producer and collects JobContextsResolved / Denied with a plain consumer.
 */
public final class JobEvents {

    private static final Map<UUID, List<JobEvent>> RESULTS = new ConcurrentHashMap<>();
    private static KafkaProducer<String, String> producer;

    private JobEvents() {}

    /** A JobStarted of a push to main by a user in no group, naming {@code contexts}. */
    public static JobStarted started(UUID orgId, UUID projectId, List<String> contexts) {
        return started(orgId, projectId, contexts, List.of(), "refs/heads/main", "push", false);
    }

    public static JobStarted started(
            UUID orgId,
            UUID projectId,
            List<String> contexts,
            List<String> groups,
            String vcsRef,
            String triggerSource,
            boolean sshRerun) {
        return new JobStarted(
                UUID.randomUUID(),
                JobStarted.CURRENT_VERSION,
                Instant.now(),
                UUID.randomUUID(),
                orgId,
                projectId,
                UUID.randomUUID(),
                UUID.randomUUID(),
                "deploy",
                UUID.randomUUID(),
                groups,
                "github.com/acme/app",
                vcsRef,
                "0123456789abcdef",
                triggerSource,
                sshRerun,
                contexts,
                600);
    }

    public static JobFinished finished(UUID jobId, UUID orgId) {
        return new JobFinished(
                UUID.randomUUID(), JobFinished.CURRENT_VERSION, Instant.now(), jobId, orgId, "success", 0, null);
    }

    public static synchronized void send(JobEvent event) {
        send(event.jobId(), JobEventCodec.encode(event));
    }

    public static synchronized void send(UUID key, String payload) {
        start();
        try {
            producer.send(new ProducerRecord<>(Topics.JOB_LIFECYCLE, key.toString(), payload))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to the test broker", e);
        }
    }

    /** Sends the event and waits for context-service's answer for its job. */
    public static JobEvent resolve(JobStarted started) {
        send(started);
        return awaitResult(started.jobId());
    }

    public static JobContextsResolved resolved(JobStarted started) {
        JobEvent result = resolve(started);
        if (!(result instanceof JobContextsResolved resolved)) {
            throw new AssertionError("expected the job to be resolved, got " + result);
        }
        return resolved;
    }

    public static JobContextsDenied denied(JobStarted started) {
        JobEvent result = resolve(started);
        if (!(result instanceof JobContextsDenied denied)) {
            throw new AssertionError("expected the job to be denied, got " + result);
        }
        return denied;
    }

    public static JobEvent awaitResult(UUID jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !results(jobId).isEmpty());
        return results(jobId).get(0);
    }

    public static List<JobEvent> results(UUID jobId) {
        return RESULTS.getOrDefault(jobId, List.of());
    }

    private static synchronized void start() {
        if (producer != null) {
            return;
        }
        createTopics();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props);

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_CONTEXTS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        // only what this test run causes; the topic keeps earlier runs' records
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread collector = new Thread(
                () -> {
                    while (true) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            try {
                                JobEvent event = JobEventCodec.decode(record.value());
                                RESULTS.computeIfAbsent(event.jobId(), id -> new CopyOnWriteArrayList<>())
                                        .add(event);
                            } catch (JobEventCodec.UnreadableEventException e) {
                                // another module's test wrote something else on the shared broker
                            }
                        }
                    }
                },
                "job-contexts-collector");
        collector.setDaemon(true);
        collector.start();
    }

    private static void createTopics() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        try (Admin admin = Admin.create(props)) {
            for (String topic : List.of(Topics.JOB_LIFECYCLE, Topics.JOB_CONTEXTS)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                            .all()
                            .get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e);
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof IllegalStateException state) {
                throw state;
            }
            throw new IllegalStateException("cannot reach the test broker", e);
        }
    }
}
