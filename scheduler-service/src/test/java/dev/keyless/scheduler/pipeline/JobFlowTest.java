package dev.keyless.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.events.JobEvent;
import dev.keyless.events.JobFinished;
import dev.keyless.events.JobStarted;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.scheduler.support.KafkaEvents;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.scheduler.support.Api.claim;
import static dev.keyless.scheduler.support.Api.job;
import static dev.keyless.scheduler.support.Api.status;
import static dev.keyless.scheduler.support.Api.withCredential;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class JobFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void queuedJobEmitsJobStartedAndBecomesClaimableOnlyAfterItsContextsAreResolved() throws Exception {
        Fixture fixture = Api.fixture();
        UUID jobId = Api.triggerJobs(fixture, List.of(job("build", "make", List.of("aws-prod"), List.of())))
                .get("build");
        assertEquals("queued", status(jobId));

        JobStarted started = (JobStarted)
                KafkaEvents.awaitEach(List.of(jobId), JobStarted.class).get(0);
        assertEquals(fixture.orgId(), started.orgId());
        assertEquals(fixture.projectId(), started.projectId());
        assertEquals(fixture.userId(), started.userId());
        assertEquals(List.of("deployers"), started.actorGroups());
        assertEquals(List.of("aws-prod"), started.contextNames());
        assertEquals("refs/heads/main", started.vcsRef());
        assertEquals("github.com/acme/app", started.vcsOrigin());
        assertEquals("api", started.triggerSource());
        assertEquals(600, started.timeoutSeconds());

        claim(fixture, 0).statusCode(204);
        KafkaEvents.resolved(jobId, fixture.orgId());
        long before = Instant.now().getEpochSecond();
        var claimed = claim(fixture, 20)
                .statusCode(200)
                .body("job_id", equalTo(jobId.toString()))
                .body("org_id", equalTo(fixture.orgId().toString()))
                .body("project_id", equalTo(fixture.projectId().toString()))
                .body("name", equalTo("build"))
                .body("command", equalTo("make"))
                .body("timeout_seconds", equalTo(600))
                .extract();
        String credential = claimed.path("credential");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(credential.split("\\.")[1]));
        assertEquals("keyless-scheduler", claims.get("iss").asText());
        assertEquals(
                "keyless-executor",
                claims.get("aud").isArray()
                        ? claims.get("aud").get(0).asText()
                        : claims.get("aud").asText());
        assertEquals("job/" + jobId, claims.get("sub").asText());
        assertEquals(jobId.toString(), claims.get("job_id").asText());
        assertEquals(fixture.orgId().toString(), claims.get("org_id").asText());
        assertEquals(fixture.projectId().toString(), claims.get("project_id").asText());
        assertTrue(claims.hasNonNull("jti"));
        long expiresIn = claims.get("exp").asLong() - claims.get("iat").asLong();
        assertEquals(240, expiresIn, "the credential lives the configured 4 minutes, renewed by heartbeats");
        assertEquals(
                claims.get("iat").asLong() + 600, claims.get("job_deadline").asLong(), 1);
        assertTrue(claims.get("iat").asLong() >= before - 1);
        assertEquals("running", status(jobId));

        String renewed = withCredential(credential)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .extract()
                .path("credential");
        JsonNode renewedClaims = JSON.readTree(Base64.getUrlDecoder().decode(renewed.split("\\.")[1]));
        assertEquals(claims.get("jti").asText(), renewedClaims.get("jti").asText(), "a renewal keeps the claim's id");
        assertTrue(renewedClaims.get("exp").asLong() >= claims.get("exp").asLong());
        assertEquals(
                claims.get("job_deadline").asLong(),
                renewedClaims.get("job_deadline").asLong());
        withCredential(credential)
                .body(Map.of("exit_code", 0))
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .statusCode(200)
                .body("status", equalTo("success"))
                .body("exit_code", equalTo(0));

        JobFinished finished = (JobFinished) KafkaEvents.awaitEach(List.of(jobId), JobFinished.class).stream()
                .filter(JobFinished.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("success", finished.status());
        assertEquals(0, finished.exitCode());

        withCredential(credential)
                .post("/api/v1/jobs/{jobId}/heartbeat", jobId)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        withCredential(credential)
                .body(Map.of("exit_code", 0))
                .post("/api/v1/jobs/{jobId}/complete", jobId)
                .then()
                .statusCode(401);
    }

    @Test
    void secondJobIsQueuedOnlyAfterTheJobItRequiresSucceeded() {
        Fixture fixture = Api.fixture();
        Map<String, UUID> jobs = Api.triggerJobs(
                fixture,
                List.of(
                        job("build", "make", List.of(), List.of()),
                        job("deploy", "make deploy", List.of(), List.of("build"))));
        UUID build = jobs.get("build");
        UUID deploy = jobs.get("deploy");
        assertEquals("queued", status(build));
        assertEquals("blocked", status(deploy));

        KafkaEvents.resolved(build, fixture.orgId());
        String credential = claim(fixture, 20)
                .statusCode(200)
                .body("job_id", equalTo(build.toString()))
                .extract()
                .path("credential");
        assertEquals("blocked", status(deploy));
        withCredential(credential)
                .body(Map.of("exit_code", 0))
                .post("/api/v1/jobs/{jobId}/complete", build)
                .then()
                .statusCode(200);
        assertEquals("queued", status(deploy));

        List<JobEvent> events = KafkaEvents.lifecycleEvents(
                List.of(build, deploy),
                seen -> seen.stream().anyMatch(e -> e.jobId().equals(deploy) && e instanceof JobStarted),
                Duration.ofSeconds(60));
        // the two jobs are different record keys, so only the times say deploy started after build finished
        assertEquals(
                List.of("JobStarted", "JobFinished"),
                events.stream()
                        .filter(e -> e.jobId().equals(build))
                        .map(e -> e.getClass().getSimpleName())
                        .toList());
        Instant buildFinished = events.stream()
                .filter(JobFinished.class::isInstance)
                .findFirst()
                .orElseThrow()
                .occurredAt();
        Instant deployStarted = events.stream()
                .filter(e -> e.jobId().equals(deploy))
                .findFirst()
                .orElseThrow()
                .occurredAt();
        assertTrue(!deployStarted.isBefore(buildFinished));

        KafkaEvents.resolved(deploy, fixture.orgId());
        String second = claim(fixture, 20)
                .statusCode(200)
                .body("job_id", equalTo(deploy.toString()))
                .extract()
                .path("credential");
        withCredential(second)
                .body(Map.of("exit_code", 3))
                .post("/api/v1/jobs/{jobId}/complete", deploy)
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("exit_code", equalTo(3));
    }

    @Test
    void aRunnersReasonForAFailureBecomesTheStatusReasonAndTheClaimNamesPipelineAndWorkflow() {
        Fixture fixture = Api.fixture();
        Map<String, UUID> jobs = Api.triggerJobs(fixture, List.of(job("build", "make", List.of(), List.of())));
        UUID build = jobs.get("build");
        KafkaEvents.resolved(build, fixture.orgId());
        var claimed = claim(fixture, 20).statusCode(200).extract();
        String credential = claimed.path("credential");
        Api.admin()
                .get("/api/v1/jobs/{jobId}", build)
                .then()
                .body("pipeline_id", equalTo(claimed.path("pipeline_id")))
                .body("workflow_id", equalTo(claimed.path("workflow_id")));
        withCredential(credential)
                .body(Map.of("exit_code", 0, "reason", "all good"))
                .post("/api/v1/jobs/{jobId}/complete", build)
                .then()
                .statusCode(400);
        withCredential(credential)
                .body(Map.of("exit_code", 1, "reason", "x".repeat(501)))
                .post("/api/v1/jobs/{jobId}/complete", build)
                .then()
                .statusCode(400);
        withCredential(credential)
                .body(Map.of("exit_code", 1, "reason", "the job image could not be pulled"))
                .post("/api/v1/jobs/{jobId}/complete", build)
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("status_reason", equalTo("the job image could not be pulled"));
    }

    @Test
    void dependentsOfAFailedJobBecomeNotRun() {
        Fixture fixture = Api.fixture();
        Map<String, UUID> jobs = Api.triggerJobs(
                fixture,
                List.of(
                        job("build", "make", List.of(), List.of()),
                        job("test", "make test", List.of(), List.of("build")),
                        job("deploy", "make deploy", List.of(), List.of("test"))));
        KafkaEvents.resolved(jobs.get("build"), fixture.orgId());
        String credential = claim(fixture, 20).statusCode(200).extract().path("credential");
        withCredential(credential)
                .body(Map.of("exit_code", 1))
                .post("/api/v1/jobs/{jobId}/complete", jobs.get("build"))
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"));
        assertEquals("not_run", status(jobs.get("test")));
        assertEquals("not_run", status(jobs.get("deploy")));
        Api.admin()
                .get("/api/v1/jobs/{jobId}", jobs.get("deploy"))
                .then()
                .body("status_reason", equalTo("required job 'test' ended not_run"));
    }

    @Test
    void deniedContextsMakeTheJobUnauthorizedWithTheReasonAndEmitJobFinished() {
        Fixture fixture = Api.fixture();
        Map<String, UUID> jobs = Api.triggerJobs(
                fixture,
                List.of(
                        job("deploy", "make deploy", List.of("prod"), List.of()),
                        job("notify", "echo done", List.of(), List.of("deploy"))));
        UUID deploy = jobs.get("deploy");
        KafkaEvents.denied(deploy, fixture.orgId(), "prod", "context 'prod' is restricted to group 'sre'");

        await().atMost(Duration.ofSeconds(30)).until(() -> status(deploy).equals("unauthorized"));
        Api.admin()
                .get("/api/v1/jobs/{jobId}", deploy)
                .then()
                .body("status_reason", equalTo("context 'prod' is restricted to group 'sre'"));
        assertEquals("not_run", status(jobs.get("notify")));
        claim(fixture, 0).statusCode(204);

        JobFinished finished = (JobFinished) KafkaEvents.awaitEach(List.of(deploy), JobFinished.class).stream()
                .filter(JobFinished.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("unauthorized", finished.status());
        assertEquals("context 'prod' is restricted to group 'sre'", finished.reason());
    }

    @Test
    void canceledPipelineCancelsItsJobsAndKillsTheRunningJobsCredential() {
        Fixture fixture = Api.fixture();
        var created = Api.triggerJson(
                        fixture,
                        Api.trigger(
                                fixture,
                                List.of(
                                        job("build", "make", List.of(), List.of()),
                                        job("deploy", "make deploy", List.of(), List.of("build")))))
                .statusCode(201)
                .extract();
        String pipelineId = created.path("id");
        UUID build = UUID.fromString(created.path("workflows[0].jobs[0].id"));
        KafkaEvents.resolved(build, fixture.orgId());
        String credential = claim(fixture, 20).statusCode(200).extract().path("credential");

        Api.admin()
                .post("/api/v1/pipelines/{id}/cancel", pipelineId)
                .then()
                .statusCode(200)
                .body("workflows[0].jobs.status", equalTo(List.of("canceled", "canceled")));
        withCredential(credential)
                .post("/api/v1/jobs/{jobId}/heartbeat", build)
                .then()
                .statusCode(401);
        Api.admin()
                .get("/api/v1/pipelines/{id}", pipelineId)
                .then()
                .statusCode(200)
                .body("workflows[0].name", equalTo("main"))
                .body("workflows[0].jobs.name", equalTo(List.of("build", "deploy")));
    }
}
