package dev.keyless.executor.job;

import dev.keyless.executor.Log;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.KeylessApi;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code executor run}: claims and runs jobs until stopped (or, with {@code --once}, one job). */
public final class ExecutorLoop {

    /** Exit status of {@code run --once} when no job came before the idle timeout. */
    public static final int NO_JOB = 4;
    /** Exit status when the scheduler refuses the claim itself (a wrong executor token): retrying cannot help. */
    public static final int CLAIM_REFUSED = 2;

    private static final int MAX_BACKOFF_SECONDS = 30;

    private final ExecutorConfig config;
    private final KeylessApi api;
    private final StopSignal stop;
    private final JobRunner runner;

    public ExecutorLoop(ExecutorConfig config, KeylessApi api) {
        this.config = config;
        this.api = api;
        this.stop = new StopSignal(Duration.ofSeconds(config.graceSeconds()));
        this.runner = new JobRunner(config, api, stop, System.out, System.err);
    }

    /**
     * Runs until stopped. With {@code once}: 0 when the job succeeded, 1 when it failed, {@link #NO_JOB} when none
     * came. Without: 0 after a SIGTERM.
     */
    public int run() throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (finished.getCount() > 0) {
                                Log.info("stop requested: finishing the current job (grace " + config.graceSeconds()
                                        + " s)");
                            }
                            stop.request();
                            try {
                                // the JVM exits when the hooks return: hold it until the current job is reported
                                finished.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "stop"));
        try {
            return loop();
        } finally {
            finished.countDown();
        }
    }

    private int loop() throws InterruptedException {
        Log.info("claiming jobs from " + config.schedulerUrl() + (config.once() ? " (one job)" : ""));
        Instant idleDeadline = Instant.now().plusSeconds(config.idleTimeoutSeconds());
        int failures = 0;
        while (!stop.requested()) {
            if (config.once() && Instant.now().isAfter(idleDeadline)) {
                Log.info("no job within " + config.idleTimeoutSeconds() + " s");
                return NO_JOB;
            }
            Optional<ClaimedJob> job;
            try {
                job = api.claim(
                        config.schedulerUrl(), config.executorToken(), config.waitSeconds(), config.projectId());
                failures = 0;
            } catch (IOException | ApiException e) {
                if (e instanceof ApiException refused && !refused.retryable()) {
                    Log.info("claim refused, giving up: " + e.getMessage());
                    return CLAIM_REFUSED;
                }
                failures++;
                long backoff = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(failures, 5));
                Log.info("claim failed, retrying in " + backoff + " s: " + e.getMessage());
                Thread.sleep(backoff * 1000);
                continue;
            }
            if (job.isEmpty()) {
                continue;
            }
            int exitCode = runner.run(job.get());
            if (config.once()) {
                return exitCode == 0 ? 0 : 1;
            }
        }
        Log.info("stopped");
        return 0;
    }
}
