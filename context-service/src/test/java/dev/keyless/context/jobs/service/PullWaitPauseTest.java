package dev.keyless.context.jobs.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PullWaitPauseTest {

    private static final Duration POLL = Duration.ofMillis(100);

    @Test
    void withMoreThanAPollIntervalLeftItPausesOneInterval() {
        assertEquals(Optional.of(POLL), PullWait.pause(Duration.ofSeconds(2).toNanos(), POLL));
    }

    @Test
    void nearTheDeadlineItPausesOnlyForWhatIsLeft() {
        assertEquals(
                Optional.of(Duration.ofMillis(30)),
                PullWait.pause(Duration.ofMillis(30).toNanos(), POLL));
        assertEquals(
                Optional.of(Duration.ofMillis(1)),
                PullWait.pause(Duration.ofMillis(1).toNanos(), POLL));
    }

    @Test
    void lessThanAMillisecondLeftMeansTheWaitIsUsedUpRatherThanATimerVertxRefuses() {
        assertEquals(Optional.empty(), PullWait.pause(999_999, POLL));
        assertEquals(Optional.empty(), PullWait.pause(1, POLL));
        assertEquals(Optional.empty(), PullWait.pause(0, POLL));
        assertEquals(Optional.empty(), PullWait.pause(-5_000_000, POLL));
    }
}
