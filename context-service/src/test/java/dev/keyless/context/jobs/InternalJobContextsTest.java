package dev.keyless.context.jobs;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.keyless.context.support.Api.addRestriction;
import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * issuer-service asks {@code /internal/v1/jobs/{jobId}/contexts} before every on-demand token: it answers what an
 * environment pull would decide at the same moment.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class InternalJobContextsTest {

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();

    private static ValidatableResponse ask(JobStarted job, String serviceToken, String credential) {
        var request = given().header("Authorization", "Bearer " + credential);
        if (serviceToken != null) {
            request.header("X-Keyless-Service-Token", serviceToken);
        }
        return request.get("/internal/v1/jobs/{job}/contexts", job.jobId()).then();
    }

    private static ValidatableResponse ask(JobStarted job) {
        return ask(job, IssuerContractStub.SERVICE_TOKEN, TestTokens.jobCredential(job.jobId(), job.orgId()));
    }

    private static ValidatableResponse pull(JobStarted job) {
        return given().auth()
                .oauth2(TestTokens.jobCredential(job.jobId(), job.orgId()))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then();
    }

    private JobStarted resolvedJob(String... contexts) {
        JobStarted job = JobEvents.started(org, project, List.of(contexts));
        JobEvents.resolved(job);
        IssuerContractStub.tokens(job.jobId(), "v1", "v2");
        return job;
    }

    private void deleteContext(UUID context) {
        asAdmin(org)
                .delete("/api/v1/orgs/{org}/contexts/{context}", org, context)
                .then()
                .statusCode(204);
    }

    @Test
    void aRunningJobGetsItsContextIdsInItsOrder() {
        String first = uniqueName("first");
        String second = uniqueName("second");
        UUID firstId = createContext(org, first);
        UUID secondId = createContext(org, second);
        JobStarted job = resolvedJob(second, first);

        ask(job).statusCode(200)
                .contentType("application/json")
                .body("context_ids", equalTo(List.of(secondId.toString(), firstId.toString())));
    }

    @Test
    void deletingTheJobsOnlyContextRefusesWith403AsTheEnvironmentPullDoes() {
        String name = uniqueName("only");
        UUID context = createContext(org, name);
        JobStarted job = resolvedJob(name);
        ask(job).statusCode(200);

        deleteContext(context);
        String reason = "context '" + name + "' was deleted after the job started; re-run the job once the context "
                + "exists again";
        ask(job).statusCode(403).contentType("application/problem+json").body("detail", equalTo(reason));
        pull(job).statusCode(403).body("detail", equalTo(reason));
    }

    @Test
    void aRestrictionThatNowExcludesTheJobRefusesWith403() {
        String name = uniqueName("restricted");
        UUID context = createContext(org, name);
        JobStarted job = resolvedJob(name);
        ask(job).statusCode(200);

        addRestriction(org, context, "project", UUID.randomUUID().toString());
        ask(job).statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("is restricted to project"));
        pull(job).statusCode(403);
    }

    @Test
    void unrelatedChangesKeepTheAnswer200() {
        String name = uniqueName("kept");
        UUID context = createContext(org, name);
        String otherName = uniqueName("other");
        UUID other = createContext(org, otherName);
        JobStarted job = resolvedJob(name);

        addRestriction(org, other, "project", UUID.randomUUID().toString());
        deleteContext(other);
        addRestriction(org, context, "project", project.toString());
        setVariable(org, context, "NEW_VARIABLE", "value");
        ask(job).statusCode(200).body("context_ids", equalTo(List.of(context.toString())));
    }

    @Test
    void withoutTheServiceTokenOrWithAWrongOneIs401() {
        String name = uniqueName("svc");
        createContext(org, name);
        JobStarted job = resolvedJob(name);
        String credential = TestTokens.jobCredential(job.jobId(), org);
        ask(job, null, credential).statusCode(401).contentType("application/problem+json");
        ask(job, "not-the-service-token", credential).statusCode(401).contentType("application/problem+json");
        given().header("X-Keyless-Service-Token", IssuerContractStub.SERVICE_TOKEN)
                .get("/internal/v1/jobs/{job}/contexts", job.jobId())
                .then()
                .statusCode(401);
    }

    @Test
    void anotherJobsOrOrgsCredentialIsRefused() {
        String name = uniqueName("cred");
        createContext(org, name);
        JobStarted job = resolvedJob(name);
        JobStarted other = resolvedJob(name);
        ask(job, IssuerContractStub.SERVICE_TOKEN, TestTokens.jobCredential(other.jobId(), org))
                .statusCode(403);
        ask(job, IssuerContractStub.SERVICE_TOKEN, TestTokens.jobCredential(job.jobId(), UUID.randomUUID()))
                .statusCode(403);
    }

    @Test
    void aFinishedJobOrARevokedCredentialIs401() {
        String name = uniqueName("ended");
        createContext(org, name);
        JobStarted finished = resolvedJob(name);
        JobEvents.send(JobEvents.finished(finished.jobId(), org));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ask(finished).statusCode(401));

        JobStarted requeued = resolvedJob(name);
        String credential = TestTokens.jobCredential(requeued.jobId(), org);
        JobEvents.send(new JobCredentialRevoked(
                UUID.randomUUID(),
                1,
                Instant.now(),
                requeued.jobId(),
                org,
                TestTokens.claim(credential, "jti"),
                "its executor stopped sending heartbeats; queued again"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> ask(requeued, IssuerContractStub.SERVICE_TOKEN, credential)
                        .statusCode(401));
    }

    @Test
    void aJobWhoseResolutionIsNotStoredYetGets503WithRetryAfter() {
        JobStarted unknown = JobEvents.started(org, project, List.of("anything"));
        ask(unknown).statusCode(503).header("Retry-After", "1").contentType("application/problem+json");
    }
}
