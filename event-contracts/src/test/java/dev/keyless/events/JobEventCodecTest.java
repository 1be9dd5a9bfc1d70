package dev.keyless.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobEventCodecTest {

    private static JobStarted started(int version) {
        return new JobStarted(
                UUID.randomUUID(),
                version,
                Instant.parse("2026-01-02T03:04:05Z"),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "build",
                UUID.randomUUID(),
                List.of("devs"),
                "github.com/acme/app",
                "refs/heads/main",
                "abc123",
                "push",
                false,
                List.of("prod", "shared"),
                600);
    }

    @Test
    void encodedEventCarriesTypeVersionAndSnakeCaseFieldsAndDecodesToEqualRecord() {
        JobStarted event = started(1);
        String json = JobEventCodec.encode(event);
        assertTrue(json.contains("\"type\":\"JobStarted\""), json);
        assertTrue(json.contains("\"version\":1"), json);
        assertTrue(json.contains("\"context_names\":[\"prod\",\"shared\"]"), json);
        assertTrue(json.contains("\"occurred_at\":\"2026-01-02T03:04:05Z\""), json);
        assertTrue(!json.contains("\"topic\""), json);
        assertEquals(event, JobEventCodec.decode(json));
    }

    @Test
    void everyEventTypeRoundTripsAndNamesItsTopic() {
        UUID job = UUID.randomUUID();
        UUID org = UUID.randomUUID();
        JobEvent[] events = {
            started(1),
            new JobFinished(UUID.randomUUID(), 1, Instant.now(), job, org, "success", 0, null),
            new JobContextsResolved(
                    UUID.randomUUID(),
                    1,
                    Instant.now(),
                    job,
                    org,
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    "github.com/a/b",
                    "refs/tags/v1",
                    true,
                    List.of(UUID.randomUUID()),
                    60),
            new JobContextsDenied(
                    UUID.randomUUID(), 1, Instant.now(), job, org, "prod", "context 'prod' is restricted"),
            new JobCredentialRevoked(
                    UUID.randomUUID(),
                    1,
                    Instant.now(),
                    job,
                    org,
                    UUID.randomUUID().toString(),
                    "its executor stopped sending heartbeats; queued again")
        };
        for (JobEvent event : events) {
            assertEquals(event, JobEventCodec.decode(JobEventCodec.encode(event)));
        }
        assertEquals(Topics.JOB_LIFECYCLE, events[0].topic());
        assertEquals(Topics.JOB_LIFECYCLE, events[1].topic());
        assertEquals(Topics.JOB_CONTEXTS, events[2].topic());
        assertEquals(Topics.JOB_CONTEXTS, events[3].topic());
        assertEquals(Topics.JOB_LIFECYCLE, events[4].topic());
    }

    @Test
    void newerVersionThanSupportedIsRejected() {
        String json = JobEventCodec.encode(started(2));
        assertThrows(JobEventCodec.UnreadableEventException.class, () -> JobEventCodec.decode(json));
    }

    @Test
    void unknownTypeAndGarbageAreRejected() {
        assertThrows(
                JobEventCodec.UnreadableEventException.class,
                () -> JobEventCodec.decode("{\"type\":\"JobExploded\",\"version\":1}"));
        assertThrows(JobEventCodec.UnreadableEventException.class, () -> JobEventCodec.decode("not json"));
    }

    @Test
    void aRevocationWithoutTheCredentialIdIsRejected() {
        assertThrows(
                JobEventCodec.UnreadableEventException.class,
                () -> JobEventCodec.decode(
                        "{\"type\":\"JobCredentialRevoked\",\"version\":1,\"event_id\":\"" + UUID.randomUUID()
                                + "\",\"job_id\":\"" + UUID.randomUUID() + "\",\"org_id\":\"" + UUID.randomUUID()
                                + "\",\"reason\":\"lost\"}"));
    }

    @Test
    void eventWithoutIdsIsRejected() {
        assertThrows(
                JobEventCodec.UnreadableEventException.class,
                () -> JobEventCodec.decode("{\"type\":\"JobFinished\",\"version\":1,\"status\":\"success\"}"));
    }
}
