package dev.keyless.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Typed configuration of scheduler-service ({@code keyless.scheduler.*}). */
@ConfigMapping(prefix = "keyless.scheduler")
public interface SchedulerConfig {

    /** Shared secret executors present as {@code Authorization: Bearer} on claim; compared in constant time. */
    String executorToken();

    Jobs jobs();

    Claim claim();

    Limits limits();

    /** A running job whose executor sent no heartbeat for this long is treated as lost. */
    @WithDefault("60s")
    Duration heartbeatTimeout();

    /** How often the reaper looks for lost executors and timed-out jobs (also read by {@code @Scheduled}). */
    @WithDefault("5s")
    Duration reaperInterval();

    /**
     * Lifetime of a job credential; each heartbeat renews it. Bounds how long a credential of an ended job keeps
     * working at context- and issuer-service when its JobFinished event is late (a broker outage): this plus
     * {@code keyless.job-credential.clock-skew-seconds}. Keep it well above three heartbeat intervals.
     */
    @WithDefault("4m")
    Duration credentialLifetime();

    /** How many times a job whose executor was lost is queued again before it fails (0: fail at once). */
    @WithDefault("0")
    int lostExecutorRetries();

    interface Jobs {
        /** Timeout of a job that does not set {@code timeout_seconds}. */
        @WithDefault("3600")
        int defaultTimeoutSeconds();

        /** Largest {@code timeout_seconds} a job may ask for; no renewal of a job credential reaches past it. */
        @WithDefault("18000")
        int maxTimeoutSeconds();
    }

    interface Claim {
        /** Largest {@code wait_seconds} an executor may long-poll for. */
        @WithDefault("30")
        int maxWaitSeconds();

        /**
         * How often a long-polling claim looks again for a claimable job: only a safety net, since the commit that
         * makes a job claimable wakes one waiting claim, and a lost listening connection wakes them all when it is
         * back.
         */
        @WithDefault("5s")
        Duration pollInterval();
    }

    interface Limits {
        /** Largest trigger body (JSON or YAML), in bytes. */
        @WithDefault("262144")
        int maxConfigBytes();

        @WithDefault("20")
        int maxWorkflows();

        /** Most jobs in one pipeline, over all its workflows. */
        @WithDefault("200")
        int maxJobs();

        @WithDefault("20")
        int maxContextsPerJob();

        /** Largest command of one job, in characters. */
        @WithDefault("65536")
        int maxCommandLength();
    }
}
