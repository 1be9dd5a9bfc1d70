package dev.keyless.executor.pod;

import dev.keyless.executor.Log;
import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.cli.UsageException;
import dev.keyless.executor.job.ExecutorConfig;
import dev.keyless.executor.job.JobRunner;
import dev.keyless.executor.job.StopSignal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code executor pod}: runs the one job of a Kubernetes job Pod. The operator claimed the job and mounted its
 * credential; this mode does what {@code run} does after a claim (heartbeats that renew the credential into a
 * writable file of its own, since the mounted Secret is read-only; the environment pull; the command with masked
 * output; the report), then exits with the job's exit code, so that the Pod's phase tells the job's outcome.
 *
 * <p>Settings come from the Pod's environment: {@code KEYLESS_SCHEDULER_URL}, {@code KEYLESS_CONTEXT_URL},
 * {@code KEYLESS_ISSUER_URL}, {@code KEYLESS_JOB_DIR} (default {@value #DEFAULT_JOB_DIR}) and
 * {@code KEYLESS_GRACE_SECONDS} (default {@value #DEFAULT_GRACE_SECONDS}: within the Pod's default 30 s termination
 * grace period, so that a deleted Pod still reports its job). No executor token: a job Pod never claims.
 */
public final class PodMode {

    static final String DEFAULT_JOB_DIR = "/var/run/keyless/job";
    static final int DEFAULT_GRACE_SECONDS = 20;
    private static final int HEARTBEAT_SECONDS = 10;
    private static final int ENVIRONMENT_TIMEOUT_SECONDS = 120;

    private final ExecutorConfig config;
    /** Token files a job writes (aws/gcp configure) are re-minted half-way through their lifetime, as by `run`. */
    private static final double TOKEN_REFRESH_SHARE = 0.5;
    /** What a checkout step clones unless KEYLESS_CHECKOUT_URL says otherwise, as for `run`. */
    private static final String DEFAULT_CHECKOUT_URL = "https://{vcs_origin}.git";

    private final Path jobDir;

    PodMode(ExecutorConfig config, Path jobDir) {
        this.config = config;
        this.jobDir = jobDir;
    }

    public static PodMode fromEnvironment(Map<String, String> env) throws UsageException {
        ExecutorConfig config = new ExecutorConfig(
                required(env, "KEYLESS_SCHEDULER_URL"),
                required(env, "KEYLESS_CONTEXT_URL"),
                required(env, "KEYLESS_ISSUER_URL"),
                null,
                0,
                HEARTBEAT_SECONDS,
                ENVIRONMENT_TIMEOUT_SECONDS,
                graceSeconds(env),
                true,
                0,
                null,
                TOKEN_REFRESH_SHARE,
                env.getOrDefault("KEYLESS_CHECKOUT_URL", DEFAULT_CHECKOUT_URL));
        return new PodMode(config, Path.of(env.getOrDefault("KEYLESS_JOB_DIR", DEFAULT_JOB_DIR)));
    }

    /** Runs the job and returns its exit code; on SIGTERM the job gets the grace period, then is killed and reported. */
    public int run() throws UsageException, InterruptedException {
        ClaimedJob job = PodJob.read(jobDir);
        StopSignal stop = new StopSignal(Duration.ofSeconds(config.graceSeconds()));
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.request();
                            try {
                                // the JVM exits when the hooks return: hold it until the job is reported
                                finished.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "stop"));
        try {
            Log.info("running job " + job.jobId() + " in this Pod");
            return new JobRunner(config, new KeylessApi(), stop, System.out, System.err).run(job);
        } finally {
            finished.countDown();
        }
    }

    private static String required(Map<String, String> env, String name) throws UsageException {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException(name + " is required in a job Pod");
        }
        return value.strip();
    }

    private static int graceSeconds(Map<String, String> env) throws UsageException {
        String value = env.get("KEYLESS_GRACE_SECONDS");
        if (value == null || value.isBlank()) {
            return DEFAULT_GRACE_SECONDS;
        }
        try {
            int seconds = Integer.parseInt(value.strip());
            if (seconds < 0 || seconds > 86400) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new UsageException("KEYLESS_GRACE_SECONDS must be a number of seconds between 0 and 86400");
        }
    }
}
