package dev.keyless.context.jobs;

import dev.keyless.context.context.service.Denial;
import dev.keyless.context.support.Database;
import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.keyless.context.support.Api.addRestriction;
import static dev.keyless.context.support.Api.createContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The largest restrictions the API accepts (50 per context, 100-character names, 1000-character expressions)
 * still give a denial whose reason fits the scheduler's and this service's VARCHAR(1000) columns, so the denial
 * is stored, published and ends the job instead of failing its insert and leaving the job queued.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class LongDenialTest {

    private static final int MAX_RESTRICTIONS = 50;
    private static final int MAX_NAME = 100;
    private static final int MAX_EXPRESSION = 1000;

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();

    private static String padded(String prefix, int length) {
        return prefix + "x".repeat(length - prefix.length());
    }

    /** A context with the longest name allowed. */
    private String longestName() {
        return padded("ctx-" + UUID.randomUUID() + "-", MAX_NAME);
    }

    private static List<String> groups(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> padded("group " + i + " ", MAX_NAME))
                .toList();
    }

    /** The denial was published with a bounded reason and the job's resolution row holds the same reason. */
    private static JobContextsDenied assertDeniedAndStored(JobStarted job) throws Exception {
        JobContextsDenied denied = JobEvents.denied(job);
        assertTrue(
                denied.reason().length() <= Denial.MAX_REASON, denied.reason().length() + ": " + denied.reason());
        assertEquals(
                1,
                Database.count(
                        "select count(*) from context.job_resolution where job_id = ? and state = "
                                + "'DENIED' and denied_reason = ?",
                        job.jobId(),
                        denied.reason()));
        return denied;
    }

    @Test
    void fiftyProjectRestrictionsGiveABoundedReasonThatIsStoredAndPublished() throws Exception {
        String name = longestName();
        UUID context = createContext(org, name);
        List<String> projects = IntStream.range(0, MAX_RESTRICTIONS)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        projects.forEach(p -> addRestriction(org, context, "project", p));

        JobContextsDenied denied = assertDeniedAndStored(JobEvents.started(org, project, List.of(name)));
        assertEquals(name, denied.contextName());
        assertTrue(
                denied.reason()
                        .contains(projects.get(0) + ", " + projects.get(1) + ", " + projects.get(2) + " and 47 more"),
                denied.reason());
        assertTrue(denied.reason().contains("this job belongs to project " + project), denied.reason());
    }

    @Test
    void fiftyLongestGroupRestrictionsGiveABoundedReasonThatIsStoredAndPublished() throws Exception {
        String name = longestName();
        UUID context = createContext(org, name);
        groups(MAX_RESTRICTIONS).forEach(g -> addRestriction(org, context, "group", g));

        JobContextsDenied denied = assertDeniedAndStored(JobEvents.started(org, project, List.of(name)));
        assertTrue(
                denied.reason().contains(" and 47 more; the user who triggered the pipeline is in none of them"),
                denied.reason());
    }

    @Test
    void theLongestExpressionBesideFortyNineGroupsOnALongBranchGivesABoundedReason() throws Exception {
        String name = longestName();
        UUID context = createContext(org, name);
        List<String> groups = groups(MAX_RESTRICTIONS - 1);
        groups.forEach(g -> addRestriction(org, context, "group", g));
        String prefix = "pipeline.git.branch == \"";
        String expression = prefix + "b".repeat(MAX_EXPRESSION - prefix.length() - 1) + "\"";
        assertEquals(MAX_EXPRESSION, expression.length());
        addRestriction(org, context, "expression", expression);

        List<String> actorGroups = new ArrayList<>(List.of(groups.get(48)));
        JobStarted job = JobEvents.started(
                org, project, List.of(name), actorGroups, padded("refs/heads/feature-", 400), "push", false);
        JobContextsDenied denied = assertDeniedAndStored(job);
        assertTrue(denied.reason().contains("is restricted by `" + prefix + "bbb"), denied.reason());
        assertTrue(denied.reason().contains("…`, which is false for this job (branch 'feature-xxx"), denied.reason());
    }
}
