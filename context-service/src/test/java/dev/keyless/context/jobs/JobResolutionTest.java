package dev.keyless.context.jobs;

import dev.keyless.context.support.Database;
import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobContextsDenied;
import dev.keyless.events.JobContextsResolved;
import dev.keyless.events.JobEventCodec;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class JobResolutionTest {

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();

    @Test
    void aJobWithoutContextsIsResolvedWithNoContextIds() {
        JobContextsResolved resolved = JobEvents.resolved(JobEvents.started(org, project, List.of()));
        assertEquals(List.of(), resolved.contextIds());
        assertEquals(org, resolved.orgId());
    }

    @Test
    void contextsResolveToIdsInTheJobsOrderWithTheJobsClaimDataAndNoSecret() {
        String first = uniqueName("aws");
        String second = uniqueName("gcp");
        UUID firstId = createContext(org, first);
        UUID secondId = createContext(org, second);
        setVariable(org, firstId, "SECRET", "resolution-secret-value-1");
        JobStarted started = JobEvents.started(org, project, List.of(second, first));

        JobContextsResolved resolved = JobEvents.resolved(started);

        assertEquals(List.of(secondId, firstId), resolved.contextIds());
        assertEquals(started.jobId(), resolved.jobId());
        assertEquals(project, resolved.projectId());
        assertEquals(started.pipelineId(), resolved.pipelineId());
        assertEquals(started.workflowId(), resolved.workflowId());
        assertEquals(started.userId(), resolved.userId());
        assertEquals("github.com/acme/app", resolved.vcsOrigin());
        assertEquals("refs/heads/main", resolved.vcsRef());
        assertEquals(600, resolved.timeoutSeconds());
        assertFalse(JobEventCodec.encode(resolved).contains("resolution-secret-value-1"));
    }

    @Test
    void anUnknownContextDeniesTheJobWithAReasonTheUserCanActOn() {
        String known = uniqueName("known");
        createContext(org, known);
        JobContextsDenied denied = JobEvents.denied(JobEvents.started(org, project, List.of(known, "does-not-exist")));
        assertEquals("does-not-exist", denied.contextName());
        assertEquals(
                "context 'does-not-exist' does not exist in this organization; create it or remove it from "
                        + "the job's contexts",
                denied.reason());
    }

    @Test
    void aContextOfAnotherOrgIsUnknownToTheJob() {
        String foreign = uniqueName("foreign");
        createContext(UUID.randomUUID(), foreign);
        JobContextsDenied denied = JobEvents.denied(JobEvents.started(org, project, List.of(foreign)));
        assertTrue(denied.reason().contains("does not exist in this organization"), denied.reason());
    }

    @Test
    void aRedeliveredJobStartedIsResolvedOnce() throws Exception {
        String name = uniqueName("once");
        createContext(org, name);
        JobStarted started = JobEvents.started(org, project, List.of(name));
        String payload = JobEventCodec.encode(started);
        JobEvents.send(started.jobId(), payload);
        JobEvents.send(started.jobId(), payload);
        // the scheduler re-sending the job under a new event id changes nothing either
        JobEvents.send(new JobStarted(
                UUID.randomUUID(),
                1,
                started.occurredAt(),
                started.jobId(),
                org,
                project,
                started.pipelineId(),
                started.workflowId(),
                started.jobName(),
                started.userId(),
                List.of(),
                started.vcsOrigin(),
                started.vcsRef(),
                started.revision(),
                started.triggerSource(),
                false,
                List.of("does-not-exist"),
                600));
        // same key, same partition: once JobFinished is applied, every earlier record was too
        JobEvents.send(JobEvents.finished(started.jobId(), org));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Database.count(
                                "select count(*) from job_resolution where job_id = ? and finished_at is not null",
                                started.jobId())
                        == 1);

        assertEquals(
                1,
                Database.count(
                        "select count(*) from outbox_message where message_key = ?",
                        started.jobId().toString()));
        assertTrue(JobEvents.awaitResult(started.jobId()) instanceof JobContextsResolved);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Database.count(
                                "select count(*) from outbox_message where message_key = ? and published_at is not null",
                                started.jobId().toString())
                        == 1);
        assertEquals(1, JobEvents.results(started.jobId()).size());
    }
}
