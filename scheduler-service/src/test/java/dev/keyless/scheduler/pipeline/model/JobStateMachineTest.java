package dev.keyless.scheduler.pipeline.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.keyless.scheduler.pipeline.model.JobStatus.BLOCKED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.CANCELED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.FAILED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.NOT_RUN;
import static dev.keyless.scheduler.pipeline.model.JobStatus.QUEUED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.RUNNING;
import static dev.keyless.scheduler.pipeline.model.JobStatus.SUCCESS;
import static dev.keyless.scheduler.pipeline.model.JobStatus.UNAUTHORIZED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobStateMachineTest {

    /** The whole table: every pair not listed here must be refused. */
    private static final Map<JobStatus, Set<JobStatus>> EXPECTED = Map.of(
            BLOCKED, EnumSet.of(QUEUED, CANCELED, NOT_RUN),
            QUEUED, EnumSet.of(RUNNING, CANCELED, UNAUTHORIZED),
            RUNNING, EnumSet.of(SUCCESS, FAILED, CANCELED, QUEUED),
            SUCCESS, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELED, EnumSet.noneOf(JobStatus.class),
            UNAUTHORIZED, EnumSet.noneOf(JobStatus.class),
            NOT_RUN, EnumSet.noneOf(JobStatus.class));

    static Stream<Arguments> allPairs() {
        return Stream.of(JobStatus.values()).flatMap(from -> Stream.of(JobStatus.values())
                .map(to -> Arguments.of(from, to, EXPECTED.get(from).contains(to))));
    }

    private static Job job(JobStatus status) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.status = status;
        return job;
    }

    @ParameterizedTest(name = "{0} -> {1} legal: {2}")
    @MethodSource("allPairs")
    void transitionIsAppliedWhenLegalAndRefusedOtherwise(JobStatus from, JobStatus to, boolean legal) {
        Job job = job(from);
        if (legal) {
            JobStateMachine.transition(job, to, "why", Instant.now());
            assertEquals(to, job.status);
            assertEquals("why", job.statusReason);
        } else {
            var e = assertThrows(
                    JobStateMachine.IllegalJobTransitionException.class,
                    () -> JobStateMachine.transition(job, to, "why", Instant.now()));
            assertEquals(from, job.status);
            assertEquals(from, e.from());
        }
    }

    @Test
    void runningStampsTheClaimAndRequeueClearsIt() {
        Job job = job(QUEUED);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        JobStateMachine.transition(job, RUNNING, null, start);
        job.credentialId = "jti-1";
        assertEquals(start, job.startedAt);
        assertEquals(start, job.lastHeartbeatAt);
        assertEquals(1, job.claims);

        JobStateMachine.transition(job, QUEUED, "lost", start.plusSeconds(60));
        assertNull(job.startedAt);
        assertNull(job.credentialId);
        assertEquals(start.plusSeconds(60), job.queuedAt);

        JobStateMachine.transition(job, RUNNING, null, start.plusSeconds(70));
        JobStateMachine.transition(job, SUCCESS, null, start.plusSeconds(80));
        assertEquals(2, job.claims);
        assertNotNull(job.finishedAt);
    }
}
