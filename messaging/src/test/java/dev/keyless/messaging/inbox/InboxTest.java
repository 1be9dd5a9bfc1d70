package dev.keyless.messaging.inbox;

import dev.keyless.events.JobEventCodec;
import dev.keyless.events.JobFinished;
import dev.keyless.testing.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(TestInfrastructure.class)
class InboxTest {

    @Inject
    Inbox inbox;

    private static String payload() {
        return JobEventCodec.encode(new JobFinished(
                UUID.randomUUID(),
                JobFinished.CURRENT_VERSION,
                Instant.now(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "success",
                0,
                null));
    }

    private void deliver(String consumer, String payload, AtomicInteger applied) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> inbox.process(consumer, payload, event -> {
            applied.incrementAndGet();
            return Uni.createFrom().voidItem();
        }));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() throws Throwable {
        String payload = payload();
        AtomicInteger applied = new AtomicInteger();

        deliver("inbox-test", payload, applied);
        deliver("inbox-test", payload, applied);

        assertEquals(1, applied.get());
    }

    @Test
    void eachConsumerAppliesTheSameEventOnce() throws Throwable {
        String payload = payload();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();

        deliver("inbox-test-a", payload, first);
        deliver("inbox-test-b", payload, second);
        deliver("inbox-test-a", payload, first);

        assertEquals(1, first.get());
        assertEquals(1, second.get());
    }

    @Test
    void aFailedApplyRecordsNothingSoTheRetryAppliesTheEventOnce() throws Throwable {
        String payload = payload();
        AtomicInteger attempts = new AtomicInteger();

        VertxContextSupport.subscribeAndAwait(() -> inbox.process(
                "inbox-test",
                payload,
                event -> attempts.incrementAndGet() == 1
                        ? Uni.createFrom().failure(new IllegalStateException("the effect failed once"))
                        : Uni.createFrom().voidItem()));
        AtomicInteger redelivered = new AtomicInteger();
        deliver("inbox-test", payload, redelivered);

        assertEquals(2, attempts.get(), "the failed attempt and its retry");
        assertEquals(0, redelivered.get(), "a redelivery after the successful retry");
    }

    @Test
    void anUnreadableRecordIsSkippedWithoutApplying() throws Throwable {
        AtomicInteger applied = new AtomicInteger();

        deliver("inbox-test", "{\"type\":\"NoSuchEvent\"}", applied);

        assertEquals(0, applied.get());
    }
}
