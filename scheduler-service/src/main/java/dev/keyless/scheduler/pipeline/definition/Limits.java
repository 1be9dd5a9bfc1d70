package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.config.SchedulerConfig;

/** Bounds on a trigger, from configuration. */
public record Limits(
        int maxConfigBytes,
        int maxWorkflows,
        int maxJobs,
        int maxContextsPerJob,
        int maxCommandLength,
        int defaultTimeoutSeconds,
        int maxTimeoutSeconds) {

    public static Limits of(SchedulerConfig config) {
        return new Limits(
                config.limits().maxConfigBytes(),
                config.limits().maxWorkflows(),
                config.limits().maxJobs(),
                config.limits().maxContextsPerJob(),
                config.limits().maxCommandLength(),
                config.jobs().defaultTimeoutSeconds(),
                config.jobs().maxTimeoutSeconds());
    }
}
