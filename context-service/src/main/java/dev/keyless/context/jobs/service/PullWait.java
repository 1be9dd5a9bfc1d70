package dev.keyless.context.jobs.service;

import dev.keyless.context.config.ContextConfig;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * How an environment pull waits for what is not ready yet (the job's resolution, its tokens): up to a bound,
 * without blocking, woken by the commit of the job's resolution or looking again each poll interval, then 503.
 */
@ApplicationScoped
public class PullWait {

    /** Signal channel of "a job's resolution was written" (topic: the job id), notified on its commit. */
    public static final String RESOLUTION_WRITTEN = "keyless_job_resolved";

    private static final Duration MIN_PAUSE = Duration.ofMillis(1);

    private final CommitSignals signals;
    private final ContextConfig.Environment config;

    public PullWait(CommitSignals signals, ContextConfig config) {
        this.signals = signals;
        this.config = config.environment();
    }

    /** A pull's wait: until when it may last, and the request's context to resume on after a pause. */
    public record Bound(long deadlineNanos, Executor onContext) {}

    /** Starts the bound of a pull arriving now, on the caller's Vert.x context when there is one. */
    public Bound start() {
        Context context = Vertx.currentContext();
        Executor onContext = context == null
                ? Infrastructure.getDefaultExecutor()
                : task -> context.runOnContext(ignored -> task.run());
        return new Bound(System.nanoTime() + config.maxWait().toNanos(), onContext);
    }

    /** Take it before looking for the resolution, so a resolution committed while the look runs still wakes it. */
    public CommitSignals.Waiter resolutionWritten(UUID jobId) {
        return signals.waiter(RESOLUTION_WRITTEN, jobId.toString());
    }

    /**
     * Runs {@code next} on the request's context once {@code waiter} wakes (when given) or after a pause, or answers
     * 503 once the wait is used up.
     */
    public <T> Uni<T> later(Bound bound, CommitSignals.Waiter waiter, Supplier<Uni<T>> next, String pending) {
        Optional<Duration> pause = pause(bound.deadlineNanos() - System.nanoTime(), config.pollInterval());
        if (pause.isEmpty()) {
            if (waiter != null) {
                waiter.cancel();
            }
            return Uni.createFrom()
                    .failure(ProblemException.unavailable(pending + "; retry later", config.retryAfterSeconds()));
        }
        Uni<Void> wait = waiter != null
                ? waiter.await(pause.get())
                : Uni.createFrom().voidItem().onItem().delayIt().by(pause.get());
        return wait.emitOn(bound.onContext()).chain(ignored -> next.get());
    }

    /**
     * How long to pause before polling again with {@code remainingNanos} of the wait left: the poll interval, or
     * what is left of the wait; none once less than a millisecond is left, the shortest timer Vert.x schedules.
     */
    static Optional<Duration> pause(long remainingNanos, Duration pollInterval) {
        Duration remaining = Duration.ofNanos(remainingNanos);
        if (remaining.compareTo(MIN_PAUSE) < 0) {
            return Optional.empty();
        }
        return Optional.of(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
    }
}
