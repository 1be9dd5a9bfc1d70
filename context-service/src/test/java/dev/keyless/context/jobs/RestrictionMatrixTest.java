package dev.keyless.context.jobs;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static dev.keyless.context.support.Api.addRestriction;
import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each restriction kind alone and combined, passing and denying, and the forked pull-request rule. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class RestrictionMatrixTest {

    /** {@code http://host:port/q/} of the management interface. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    private static final String MAIN = "refs/heads/main";

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();
    private final String name = uniqueName("prod-deploy");
    private UUID context;

    @BeforeEach
    void createTheContext() {
        context = createContext(org, name);
    }

    private JobStarted job(List<String> groups, String ref, String trigger, boolean ssh) {
        return JobEvents.started(org, project, List.of(name), groups, ref, trigger, ssh);
    }

    private JobStarted plainJob() {
        return job(List.of(), MAIN, "push", false);
    }

    @Test
    void anUnrestrictedContextIsGivenToAnyJobOfTheOrg() {
        assertEquals(List.of(context), JobEvents.resolved(plainJob()).contextIds());
    }

    @Test
    void aProjectRestrictionPassesForTheListedProject() {
        addRestriction(org, context, "project", project.toString());
        JobEvents.resolved(plainJob());
    }

    @Test
    void aProjectRestrictionDeniesAnotherProjectSayingWhichProjectIsAllowed() {
        UUID other = UUID.randomUUID();
        addRestriction(org, context, "project", other.toString());
        JobContextsDenied denied = JobEvents.denied(plainJob());
        assertEquals(name, denied.contextName());
        assertEquals(
                "context '" + name + "' is restricted to project " + other + "; this job belongs to project " + project
                        + ". Ask an org admin to add the project to the context's restrictions",
                denied.reason());
    }

    @Test
    void aGroupRestrictionPassesWhenTheTriggeringUserIsInAnyListedGroup() {
        addRestriction(org, context, "group", "deployers");
        addRestriction(org, context, "group", "sre");
        JobEvents.resolved(job(List.of("developers", "sre"), MAIN, "push", false));
    }

    @Test
    void aGroupRestrictionDeniesAUserInNoneOfTheGroups() {
        addRestriction(org, context, "group", "deployers");
        JobContextsDenied denied = JobEvents.denied(job(List.of("developers"), MAIN, "push", false));
        assertEquals(
                "context '" + name + "' is restricted to security group 'deployers'; the user who triggered "
                        + "the pipeline is in none of them",
                denied.reason());
    }

    @Test
    void anExpressionRestrictionPassesWhenTrue() {
        addRestriction(org, context, "expression", "pipeline.git.branch == \"main\" && !job.ssh.enabled");
        JobEvents.resolved(plainJob());
    }

    @Test
    void anExpressionRestrictionDeniesWhenFalseAndSaysWhy() {
        addRestriction(org, context, "expression", "pipeline.git.branch == \"main\" && !job.ssh.enabled");
        JobContextsDenied branch = JobEvents.denied(job(List.of(), "refs/heads/feature", "push", false));
        assertEquals(
                "context '" + name + "' is restricted by `pipeline.git.branch == \"main\" && !job.ssh.enabled`, "
                        + "which is false for this job (branch 'feature', tag '', trigger 'push', ssh disabled)",
                branch.reason());
        JobContextsDenied ssh = JobEvents.denied(job(List.of(), MAIN, "push", true));
        assertEquals("expression", kindOf(ssh));
    }

    @Test
    void expressionsSeeTagsProjectAndTriggerSource() {
        addRestriction(org, context, "expression", "pipeline.git.tag.startsWith(\"v\")");
        addRestriction(org, context, "expression", "pipeline.project.id == \"" + project + "\"");
        addRestriction(org, context, "expression", "pipeline.trigger_source in [\"push\", \"api\"]");
        JobEvents.resolved(job(List.of(), "refs/tags/v1.2.0", "api", false));
        JobEvents.denied(job(List.of(), "refs/tags/release-1", "api", false));
        JobEvents.denied(job(List.of(), "refs/tags/v1.2.0", "schedule", false));
    }

    @Test
    void allKindsCombinedPassOnlyWhenEveryOnePasses() {
        addRestriction(org, context, "project", project.toString());
        addRestriction(org, context, "group", "deployers");
        addRestriction(org, context, "expression", "pipeline.git.branch == \"main\"");

        JobEvents.resolved(job(List.of("deployers"), MAIN, "push", false));
        assertEquals("group", kindOf(JobEvents.denied(job(List.of("others"), MAIN, "push", false))));
        assertEquals(
                "expression", kindOf(JobEvents.denied(job(List.of("deployers"), "refs/heads/dev", "push", false))));
        JobStarted otherProject =
                JobEvents.started(org, UUID.randomUUID(), List.of(name), List.of("deployers"), MAIN, "push", false);
        assertEquals("project", kindOf(JobEvents.denied(otherProject)));
    }

    @Test
    void aForkedPullRequestNeverGetsARestrictedContextByDefault() {
        addRestriction(org, context, "project", project.toString());
        JobContextsDenied denied = JobEvents.denied(job(List.of(), MAIN, "fork_pull_request", false));
        assertEquals(
                "context '" + name + "' is restricted and jobs from forked pull requests may not use it; an org "
                        + "admin can allow forked pull requests of project " + project + " to use restricted contexts",
                denied.reason());
    }

    @Test
    void aForkedPullRequestGetsARestrictedContextOnceItsProjectIsAllowed() {
        addRestriction(org, context, "project", project.toString());
        asAdmin(org)
                .put("/api/v1/orgs/{org}/fork-pull-requests/projects/{p}", org, project)
                .then()
                .statusCode(204);
        asAdmin(org)
                .get("/api/v1/orgs/{org}/fork-pull-requests", org)
                .then()
                .statusCode(200)
                .body(containsString(project.toString()));
        JobEvents.resolved(job(List.of(), MAIN, "fork_pull_request", false));

        asAdmin(org)
                .delete("/api/v1/orgs/{org}/fork-pull-requests/projects/{p}", org, project)
                .then()
                .statusCode(204);
        JobEvents.denied(job(List.of(), MAIN, "fork_pull_request", false));
    }

    @Test
    void aForkedPullRequestGetsAnUnrestrictedContext() {
        JobEvents.resolved(job(List.of(), MAIN, "fork_pull_request", false));
    }

    @Test
    void deniedContextsAreCountedByReasonKind() {
        addRestriction(org, context, "group", "nobody-is-in-this-group");
        JobEvents.denied(plainJob());
        given().get(management + "metrics")
                .then()
                .statusCode(200)
                .body(containsString("keyless_context_denied_total{reason=\"group\"}"));
    }

    private String kindOf(JobContextsDenied denied) {
        String reason = denied.reason();
        if (reason.contains("security group")) {
            return "group";
        }
        if (reason.contains("restricted to project")) {
            return "project";
        }
        if (reason.contains("is restricted by `")) {
            return "expression";
        }
        return reason;
    }
}
