package dev.keyless.executor.job;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** Set once on SIGTERM: no new claims, and the current job gets a grace period before it is killed. */
public final class StopSignal {

    private final Duration grace;
    private final AtomicReference<Instant> graceEnd = new AtomicReference<>();

    public StopSignal(Duration grace) {
        this.grace = grace;
    }

    public void request() {
        graceEnd.compareAndSet(null, Instant.now().plus(grace));
    }

    public boolean requested() {
        return graceEnd.get() != null;
    }

    public boolean graceExpired() {
        Instant end = graceEnd.get();
        return end != null && Instant.now().isAfter(end);
    }
}
