package dev.keyless.context.context;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.context.support.Api.addRestriction;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The claims preview's context decision is the decision a real job of the same shape gets, reason included. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class InternalContextDecisionTest {

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();

    private ValidatableResponse decide(String serviceToken, List<String> contexts, String ref, String trigger) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("project_id", project);
        job.put("context_names", contexts);
        job.put("vcs_origin", "github.com/acme/app");
        job.put("vcs_ref", ref);
        job.put("trigger_source", trigger);
        job.put("ssh_rerun", false);
        job.put("job_name", "deploy");
        job.put("actor_groups", List.of());
        var request = given().contentType(ContentType.JSON).body(job);
        if (serviceToken != null) {
            request.header("X-Keyless-Service-Token", serviceToken);
        }
        return request.post("/internal/v1/orgs/{org}/context-decisions", org).then();
    }

    @Test
    void aForkPullRequestPreviewIsDeniedWithTheReasonARealForkJobGets() {
        String name = uniqueName("aws-prod");
        UUID context = createContext(org, name);
        addRestriction(org, context, "expression", "pipeline.git.branch == \"main\"");

        JobStarted real = JobEvents.started(
                org, project, List.of(name), List.of(), "refs/heads/pull/42", "fork_pull_request", false);
        JobContextsDenied denied = JobEvents.denied(real);

        decide(IssuerContractStub.SERVICE_TOKEN, List.of(name), "refs/heads/pull/42", "fork_pull_request")
                .statusCode(200)
                .body("allowed", equalTo(false))
                .body("denial_kind", equalTo("fork_pull_request"))
                .body("denied_context", equalTo(name))
                .body("reason", equalTo(denied.reason()));
    }

    @Test
    void anAllowedPreviewListsTheContextIdsInTheJobsOrder() {
        String first = uniqueName("b");
        String second = uniqueName("a");
        UUID one = createContext(org, first);
        UUID two = createContext(org, second);
        decide(IssuerContractStub.SERVICE_TOKEN, List.of(first, second), "refs/heads/main", "push")
                .statusCode(200)
                .body("allowed", equalTo(true))
                .body("reason", nullValue())
                .body("context_ids", contains(one.toString(), two.toString()));
    }

    @Test
    void anUnknownContextIsDeniedAsAtJobStart() {
        decide(IssuerContractStub.SERVICE_TOKEN, List.of("no-such-context"), "refs/heads/main", "push")
                .statusCode(200)
                .body("allowed", equalTo(false))
                .body("denial_kind", equalTo("unknown_context"));
    }

    @Test
    void withoutTheServiceTokenTheDecisionIsRefused() {
        decide(null, List.of("x"), "refs/heads/main", "push").statusCode(401);
        decide("wrong-token", List.of("x"), "refs/heads/main", "push").statusCode(401);
    }
}
