package dev.keyless.scheduler.pipeline.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowProgressTest {

    private static Job job(String name, JobStatus status, String... requires) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.name = name;
        job.status = status;
        job.requires = List.of(requires);
        return job;
    }

    @Test
    void jobsWithoutRequirementsAreQueuedFirst() {
        List<WorkflowProgress.Step> steps = WorkflowProgress.next(List.of(
                job("build", JobStatus.BLOCKED),
                job("lint", JobStatus.BLOCKED),
                job("deploy", JobStatus.BLOCKED, "build")));
        assertEquals(List.of("build:QUEUED", "lint:QUEUED"), describe(steps));
    }

    @Test
    void jobIsQueuedOnlyWhenEveryRequirementSucceeded() {
        Job build = job("build", JobStatus.SUCCESS);
        Job lint = job("lint", JobStatus.RUNNING);
        Job deploy = job("deploy", JobStatus.BLOCKED, "build", "lint");
        assertTrue(WorkflowProgress.next(List.of(build, lint, deploy)).isEmpty());
        lint.status = JobStatus.SUCCESS;
        assertEquals(List.of("deploy:QUEUED"), describe(WorkflowProgress.next(List.of(build, lint, deploy))));
    }

    @Test
    void dependentsOfAnUnsuccessfulJobBecomeNotRunEvenIfOtherRequirementsStillRun() {
        for (JobStatus ended :
                List.of(JobStatus.FAILED, JobStatus.UNAUTHORIZED, JobStatus.CANCELED, JobStatus.NOT_RUN)) {
            Job build = job("build", ended);
            Job lint = job("lint", JobStatus.RUNNING);
            Job deploy = job("deploy", JobStatus.BLOCKED, "lint", "build");
            List<WorkflowProgress.Step> steps = WorkflowProgress.next(List.of(build, lint, deploy));
            assertEquals(List.of("deploy:NOT_RUN"), describe(steps));
            assertEquals(
                    "required job 'build' ended " + ended.wireName(),
                    steps.get(0).reason());
        }
    }

    @Test
    void notRunSpreadsDownTheChainOneStepAtATime() {
        Job build = job("build", JobStatus.FAILED);
        Job test = job("test", JobStatus.BLOCKED, "build");
        Job deploy = job("deploy", JobStatus.BLOCKED, "test");
        assertEquals(List.of("test:NOT_RUN"), describe(WorkflowProgress.next(List.of(build, test, deploy))));
        test.status = JobStatus.NOT_RUN;
        assertEquals(List.of("deploy:NOT_RUN"), describe(WorkflowProgress.next(List.of(build, test, deploy))));
    }

    private static List<String> describe(List<WorkflowProgress.Step> steps) {
        return steps.stream().map(step -> step.job().name + ":" + step.to()).toList();
    }
}
