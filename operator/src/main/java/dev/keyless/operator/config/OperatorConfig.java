package dev.keyless.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code keyless.operator.*}: see the operator's README. */
@ConfigMapping(prefix = "keyless.operator")
public interface OperatorConfig {

    /** Namespace whose RunnerPools, Pods and Secrets the operator manages; default: the namespace it runs in. */
    Optional<String> namespace();

    /** Long-poll of one claim; bounds how long a shutdown or a pool deletion waits for a claim in flight. */
    @WithDefault("10")
    int claimWaitSeconds();

    /** How often a pool at capacity looks again for a free slot, besides being woken by its Pods' events. */
    @WithDefault("5s")
    Duration capacityPollInterval();

    /** How long a finished job Pod (and its Secret) is kept, for its logs, before it is deleted. */
    @WithDefault("10m")
    Duration finishedPodTtl();

    /**
     * How long a job Pod may stay unschedulable before its job is failed. Keep it under the scheduler's
     * {@code heartbeat-timeout} (60 s), or the scheduler declares the job lost first, without this reason.
     */
    @WithDefault("45s")
    Duration unschedulableTimeout();

    /** Image of the init container that copies the executor into a pool's job Pods when the pool names none. */
    @WithDefault("keyless/executor:0.1.0")
    String executorImage();

    /** Seconds a job Pod gets after SIGTERM; its executor reports the job within them (a few seconds less). */
    @WithDefault("30")
    int jobTerminationGraceSeconds();

    /** Periodic reconcile of every pool, besides the events that trigger one. */
    @WithDefault("30s")
    Duration resyncInterval();
}
