package dev.keyless.scheduler.tracing;

import dev.keyless.events.Topics;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.scheduler.support.Api.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@TestProfile(OutboxTracingTest.TracingOn.class)
class OutboxTracingTest {

    /** Tracing on, exporting nowhere: the trace context still propagates, nothing leaves the process. */
    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.traces.exporter", "none");
        }
    }

    @Test
    void jobStartedRecordContinuesTheTraceOfTheTriggerRequest() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        Fixture fixture = Api.fixture();
        String jobId = Api.admin()
                .header("traceparent", "00-" + traceId + "-0123456789abcdef-01")
                .body(Api.trigger(fixture, List.of(job("build", "make", List.of(), List.of()))))
                .post("/api/v1/projects/{projectId}/pipelines", fixture.projectId())
                .then()
                .statusCode(201)
                .extract()
                .path("workflows[0].jobs[0].id");

        Header traceparent = jobStartedHeader(jobId, "traceparent");
        assertNotNull(traceparent, "JobStarted record has no traceparent header");
        String[] parts = new String(traceparent.value(), StandardCharsets.UTF_8).split("-");
        assertEquals(traceId, parts[1]);
    }

    /** The last {@code header} of the JobStarted record of the job, as a Kafka consumer's tracing reads it. */
    private static Header jobStartedHeader(String jobId, String header) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaEvents.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "scheduler-tracing-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.JOB_LIFECYCLE));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Header type = record.headers().lastHeader("event-type");
                    if (jobId.equals(record.key())
                            && type != null
                            && "JobStarted".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        return record.headers().lastHeader(header);
                    }
                }
            }
        }
        throw new AssertionError("no JobStarted record for job " + jobId);
    }
}
