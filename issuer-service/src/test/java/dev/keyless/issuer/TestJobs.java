package dev.keyless.issuer;

import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import dev.keyless.events.JobFinished;
import dev.keyless.testing.TestInfrastructure;
import dev.keyless.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Publishes job events to the real test broker, as context-service and scheduler-service would. */
public final class TestJobs {

    public static final String SERVICE_TOKEN = "test-internal-token";
    private static final KafkaProducer<String, String> PRODUCER = new KafkaProducer<>(
            Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all"),
            new StringSerializer(),
            new StringSerializer());

    private TestJobs() {}

    /** A job's identity as the scheduler knows it. */
    public record Job(
            UUID jobId,
            UUID orgId,
            UUID projectId,
            UUID pipelineId,
            UUID workflowId,
            UUID userId,
            List<UUID> contextIds) {

        public String credential() {
            return TestTokens.jobCredential(jobId, orgId);
        }

        public String vcsOrigin() {
            return "github.com/acme/app";
        }

        public String vcsRef() {
            return "refs/heads/main";
        }
    }

    public static Job newJob(UUID orgId, int contexts) {
        List<UUID> ids =
                IntStream.range(0, contexts).mapToObj(i -> UUID.randomUUID()).toList();
        Job job = new Job(
                UUID.randomUUID(),
                orgId,
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                ids);
        ContextServiceContractStub.allow(job.jobId(), ids);
        return job;
    }

    public static void resolve(Job job) {
        send(new JobContextsResolved(
                UUID.randomUUID(),
                1,
                Instant.now(),
                job.jobId(),
                job.orgId(),
                job.projectId(),
                job.pipelineId(),
                job.workflowId(),
                job.userId(),
                job.vcsOrigin(),
                job.vcsRef(),
                false,
                job.contextIds(),
                3600));
    }

    public static void finish(Job job) {
        send(new JobFinished(UUID.randomUUID(), 1, Instant.now(), job.jobId(), job.orgId(), "success", 0, null));
    }

    /** The scheduler queued the job again: the credential with this {@code jti} is dead, the job is not. */
    public static void revoke(Job job, String credentialId) {
        send(new JobCredentialRevoked(
                UUID.randomUUID(),
                1,
                Instant.now(),
                job.jobId(),
                job.orgId(),
                credentialId,
                "its executor stopped sending heartbeats; queued again"));
    }

    public static void send(JobEvent event) {
        try {
            PRODUCER.send(new ProducerRecord<>(event.topic(), event.jobId().toString(), JobEventCodec.encode(event)))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish a test event", e);
        }
    }

    public static Response pullTokens(Job job) {
        return pullTokens(job, job.credential());
    }

    public static Response pullTokens(Job job, String credential) {
        return given().header("X-Keyless-Service-Token", SERVICE_TOKEN)
                .header("Authorization", "Bearer " + credential)
                .get("/internal/v1/jobs/{jobId}/oidc-tokens", job.jobId());
    }

    /** Resolves the job and waits until the issuer serves its tokens; returns the pull's body. */
    public static Response resolvedJobTokens(Job job) {
        resolve(job);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> pullTokens(job).statusCode() == 200);
        return pullTokens(job);
    }

    public static String issuer(UUID orgId) {
        return "http://localhost:" + RestAssured.port + "/org/" + orgId;
    }
}
