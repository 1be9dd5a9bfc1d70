package dev.keyless.operator.pool.service;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What is wrong with a pool, as its {@code Degraded} condition reports it. A claim problem (the scheduler cannot
 * be reached, the executor token is refused or missing) outranks Pods failing to start.
 */
public final class PoolHealth {

    public static final String SCHEDULER_UNREACHABLE = "SchedulerUnreachable";
    public static final String EXECUTOR_TOKEN_REFUSED = "ExecutorTokenRefused";
    public static final String EXECUTOR_TOKEN_MISSING = "ExecutorTokenMissing";
    public static final String PODS_FAILING = "PodsFailingToStart";

    /** A reason (CamelCase, for machines) and a message (for people); never a secret. */
    public record Problem(String reason, String message) {}

    private final AtomicReference<Problem> claim = new AtomicReference<>();
    private final AtomicReference<Problem> pods = new AtomicReference<>();

    public Problem problem() {
        Problem claimProblem = claim.get();
        return claimProblem != null ? claimProblem : pods.get();
    }

    /** Records the claim loop's state; returns whether it changed. */
    public boolean claim(Problem problem) {
        return !Objects.equals(claim.getAndSet(problem), problem);
    }

    /** Records whether the pool's Pods fail to start (null once one runs again); returns whether it changed. */
    public boolean pods(Problem problem) {
        return !Objects.equals(pods.getAndSet(problem), problem);
    }
}
