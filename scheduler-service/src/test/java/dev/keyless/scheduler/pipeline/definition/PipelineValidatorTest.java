package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.WorkflowRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PipelineValidatorTest {

    private static final Limits LIMITS = new Limits(10_000, 3, 5, 2, 100, 3600, 7200);
    private final PipelineValidator validator = new PipelineValidator(LIMITS);

    private static JobRequest job(String name, String... requires) {
        return new JobRequest(name, "echo " + name, List.of(), List.of(requires), null, null);
    }

    private static TriggerRequest trigger(JobRequest... jobs) {
        return new TriggerRequest(
                "main",
                null,
                null,
                "abc123",
                null,
                UUID.randomUUID(),
                List.of(new WorkflowRequest("wf", List.of(jobs))));
    }

    private String problem(TriggerRequest request) {
        ProblemException e = assertThrows(ProblemException.class, () -> validator.validate(request));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void validTriggerIsNormalized() {
        PipelineDefinition definition = validator.validate(trigger(job("build"), job("deploy", "build")));
        assertEquals("refs/heads/main", definition.vcsRef());
        assertEquals("api", definition.triggerSource());
        assertEquals(3600, definition.workflows().get(0).jobs().get(0).timeoutSeconds());
        assertEquals(
                List.of("build"), definition.workflows().get(0).jobs().get(1).requires());
    }

    @Test
    void branchAndTagBecomeFullRefs() {
        TriggerRequest tag = new TriggerRequest(
                null,
                null,
                "v1.2.0",
                "abc",
                "push",
                UUID.randomUUID(),
                trigger(job("a")).workflows());
        assertEquals("refs/tags/v1.2.0", validator.validate(tag).vcsRef());
        TriggerRequest branch = new TriggerRequest(
                null,
                "feature/x",
                null,
                "abc",
                "push",
                UUID.randomUUID(),
                trigger(job("a")).workflows());
        assertEquals("refs/heads/feature/x", validator.validate(branch).vcsRef());
        TriggerRequest full = new TriggerRequest(
                "refs/tags/v2",
                null,
                null,
                "abc",
                "push",
                UUID.randomUUID(),
                trigger(job("a")).workflows());
        assertEquals("refs/tags/v2", validator.validate(full).vcsRef());
    }

    @Test
    void badRefsAreRefused() {
        for (String ref : List.of("refs/pull/1/head", "a..b", "feat//x", "/main", "bad ref")) {
            TriggerRequest request = new TriggerRequest(
                    ref,
                    null,
                    null,
                    "abc",
                    null,
                    UUID.randomUUID(),
                    trigger(job("a")).workflows());
            assertThat(problem(request), containsString("ref:"));
        }
        TriggerRequest both = new TriggerRequest(
                null,
                "main",
                "v1",
                "abc",
                null,
                UUID.randomUUID(),
                trigger(job("a")).workflows());
        assertThat(problem(both), containsString("exactly one of ref, branch or tag"));
    }

    @Test
    void requirementOfAnUnknownJobIsNamed() {
        assertThat(
                problem(trigger(job("build"), job("deploy", "biuld"))),
                containsString("job 'deploy' requires unknown job 'biuld'"));
    }

    @Test
    void cycleIsReportedWithItsPath() {
        assertThat(
                problem(trigger(job("a", "c"), job("b", "a"), job("c", "b"))),
                containsString("form a cycle: a -> c -> b -> a"));
        assertThat(problem(trigger(job("a", "a"))), containsString("job 'a' requires itself"));
    }

    @Test
    void duplicateNamesAreRefused() {
        assertThat(problem(trigger(job("build"), job("build"))), containsString("duplicate job name 'build'"));
        TriggerRequest workflows = new TriggerRequest(
                "main",
                null,
                null,
                "abc",
                null,
                UUID.randomUUID(),
                List.of(new WorkflowRequest("wf", List.of(job("a"))), new WorkflowRequest("wf", List.of(job("b")))));
        assertThat(problem(workflows), containsString("duplicate workflow name 'wf'"));
    }

    @Test
    void aJobNameMayHoldSpacesLikeCircleCisWorkflowJobNames() {
        PipelineDefinition definition =
                new PipelineValidator(LIMITS).validate(trigger(job("Generate Creds File and Authenticate")));
        assertEquals(
                "Generate Creds File and Authenticate",
                definition.workflows().get(0).jobs().get(0).name());
    }

    @Test
    void badNamesAreRefused() {
        assertThat(problem(trigger(job("trailing space "))), containsString("workflows[0].jobs[0].name"));
        assertThat(problem(trigger(job("semi;colon"))), containsString("workflows[0].jobs[0].name"));
        assertThat(problem(trigger(job("-leading"))), containsString("workflows[0].jobs[0].name"));
        JobRequest badContext = new JobRequest("a", "echo", List.of("prod;rm"), List.of(), null, null);
        assertThat(problem(trigger(badContext)), containsString("contexts"));
    }

    @Test
    void limitsAreEnforced() {
        JobRequest[] six = new JobRequest[6];
        Arrays.setAll(six, i -> job("j" + i));
        assertThat(problem(trigger(six)), containsString("at most 5 jobs"));
        List<WorkflowRequest> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(new WorkflowRequest("w" + i, List.of(job("a"))));
        }
        assertThat(
                problem(new TriggerRequest("main", null, null, "abc", null, UUID.randomUUID(), four)),
                containsString("at most 3 workflows"));
        JobRequest longCommand = new JobRequest("a", "x".repeat(101), List.of(), List.of(), null, null);
        assertThat(problem(trigger(longCommand)), containsString("longer than 100"));
        JobRequest manyContexts = new JobRequest("a", "echo", List.of("c1", "c2", "c3"), List.of(), null, null);
        assertThat(problem(trigger(manyContexts)), containsString("at most 2 contexts"));
        JobRequest longTimeout = new JobRequest("a", "echo", List.of(), List.of(), null, 7201);
        assertThat(problem(trigger(longTimeout)), containsString("timeout_seconds"));
    }

    @Test
    void missingFieldsAreAllReportedAtOnce() {
        String detail = problem(new TriggerRequest(null, null, null, null, "cron", null, null));
        for (String field : List.of("ref:", "revision:", "trigger_source:", "user_id:", "workflows:")) {
            assertThat(detail, containsString(field));
        }
    }

    @Test
    void findCycleReturnsNullForADag() {
        assertNull(PipelineValidator.findCycle(Map.of("a", List.of(), "b", List.of("a"), "c", List.of("a", "b"))));
    }
}
