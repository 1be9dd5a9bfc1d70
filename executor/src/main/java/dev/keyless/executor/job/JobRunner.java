package dev.keyless.executor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.executor.Log;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.JobEnvironment;
import dev.keyless.executor.api.KeylessApi;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Runs one claimed job: environment, shell, masked output, heartbeats, completion. */
public final class JobRunner {

    /** Exit code reported when the job could not start (no environment, no shell). */
    static final int COULD_NOT_START = 1;
    /** Reports completion before the job's timeout, while its credential is still accepted. */
    private static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(5);

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final int REPORT_ATTEMPTS = 4;
    /** How often the registered token files are looked at; each is re-minted only when due. */
    private static final Duration REFRESH_CHECK = Duration.ofSeconds(1);

    private final ExecutorConfig config;
    private final KeylessApi api;
    private final StopSignal stop;
    private final PrintStream out;
    private final PrintStream err;

    public JobRunner(ExecutorConfig config, KeylessApi api, StopSignal stop, PrintStream out, PrintStream err) {
        this.config = config;
        this.api = api;
        this.stop = stop;
        this.out = out;
        this.err = err;
    }

    /** Runs the job and reports its exit code; returns that code. */
    public int run(ClaimedJob job) throws InterruptedException {
        Log.info("job " + job.name() + " (" + job.jobId() + ") claimed");
        JobCredentialFile credential;
        try {
            credential = JobCredentialFile.create(job.credential());
        } catch (IOException e) {
            Log.info("job " + job.jobId() + " cannot start, its credential cannot be written: " + e.getMessage());
            report(job, job.credential(), COULD_NOT_START);
            return COULD_NOT_START;
        }
        AtomicReference<String> endedRemotely = new AtomicReference<>();
        // heartbeats and token refreshes on threads of their own: a slow issuer must not delay a heartbeat
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "job-background");
            thread.setDaemon(true);
            return thread;
        });
        long interval = heartbeatMillis(config.heartbeatSeconds(), job.credential());
        background.scheduleAtFixedRate(
                () -> heartbeat(job, credential, endedRemotely), interval, interval, TimeUnit.MILLISECONDS);
        TokenRefresher refresher = tokenRefresher(job, credential);
        background.scheduleWithFixedDelay(
                () -> refreshTokens(refresher),
                REFRESH_CHECK.toMillis(),
                REFRESH_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
        int exitCode;
        try {
            exitCode = execute(job, credential, endedRemotely);
        } finally {
            background.shutdownNow();
            background.awaitTermination(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        report(job, credential.current(), exitCode);
        try {
            // the credential, the token files and profiles the job wrote: none outlives the job
            credential.close();
        } catch (IOException e) {
            Log.info("could not delete the private directory of job " + job.jobId() + ": " + e.getMessage());
        }
        return exitCode;
    }

    private TokenRefresher tokenRefresher(ClaimedJob job, JobCredentialFile credential) {
        Instant jobEnd = job.timeoutSeconds() > 0 ? Instant.now().plusSeconds(job.timeoutSeconds()) : Instant.MAX;
        return new TokenRefresher(
                new TokenRegistry(credential.directory()),
                (audience, ttl) -> api.mintToken(config.issuerUrl(), job.jobId(), credential.current(), audience, ttl),
                config.tokenRefreshShare(),
                jobEnd,
                Clock.systemUTC());
    }

    private static void refreshTokens(TokenRefresher refresher) {
        try {
            refresher.refreshDue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The configured heartbeat interval, shortened to a third of the credential's lifetime: each heartbeat renews
     * the credential, and two may fail before it expires.
     */
    static long heartbeatMillis(int configuredSeconds, String credential) {
        long configured = configuredSeconds * 1000L;
        try {
            String[] parts = credential.split("\\.");
            JsonNode claims = KeylessApi.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long lifetimeSeconds =
                    claims.path("exp").asLong() - claims.path("iat").asLong();
            return lifetimeSeconds > 0 ? Math.max(1000, Math.min(configured, lifetimeSeconds * 1000 / 3)) : configured;
        } catch (IOException | RuntimeException e) {
            return configured;
        }
    }

    private int execute(ClaimedJob job, JobCredentialFile credential, AtomicReference<String> endedRemotely)
            throws InterruptedException {
        JobEnvironment environment;
        try {
            environment = fetchEnvironment(job, credential);
        } catch (IOException | ApiException e) {
            Log.info("job " + job.jobId() + " cannot start, no environment: " + e.getMessage());
            return COULD_NOT_START;
        }
        List<String> secrets = new ArrayList<>(environment.mask());
        secrets.add(credential.current());
        JobMasker masker = new JobMasker(secrets, new TokenRegistry(credential.directory()));
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("keyless-job-");
            Path binDir = writeExecutorCommand(credential.directory());
            Path scripts = PrivateFiles.directory(credential.directory().resolve("steps"));
            // like CircleCI's $BASH_ENV: every bash step sources it, so a step can export to the later ones
            Path bashEnv = scripts.resolve("bash_env");
            PrivateFiles.write(bashEnv, "");
            Path workspace = workDir;
            // a home of the job's own, as a fresh container has: what a job caches under ~ (the AWS CLI keeps
            // assumed-role credentials in ~/.aws/cli/cache) never reaches another job
            Map<String, String> inherited = new HashMap<>(System.getenv());
            inherited.put(
                    "HOME",
                    PrivateFiles.directory(credential.directory().resolve("home"))
                            .toString());
            if (job.image() != null) {
                Log.info("job " + job.jobId() + " names image " + job.image() + "; this executor runs it on its host");
            }
            Instant deadline = job.timeoutSeconds() > 0
                    ? Instant.now().plusSeconds(job.timeoutSeconds()).minus(TIMEOUT_MARGIN)
                    : Instant.MAX;
            StepRunner steps = new StepRunner(
                    job,
                    workspace,
                    scripts,
                    checkoutUrl(job),
                    masker,
                    out,
                    err,
                    () -> killReason(job, deadline, endedRemotely));
            List<StepRunner.StepResult> results = steps.run(stepEnvironment -> {
                Map<String, String> variables = ProcessEnvironment.build(
                        inherited,
                        job,
                        environment,
                        stepEnvironment,
                        config.issuerUrl(),
                        binDir,
                        credential.path(),
                        credential.directory());
                variables.put("BASH_ENV", bashEnv.toString());
                variables.put("CIRCLE_WORKING_DIRECTORY", workspace.toString());
                return variables;
            });
            int exitCode = StepRunner.exitCode(results);
            for (StepRunner.StepResult result : results) {
                Log.info("job " + job.jobId() + " step " + result.number() + " \"" + masker.mask(result.name()) + "\": "
                        + result.describe());
            }
            return exitCode;
        } catch (IOException e) {
            Log.info("job " + job.jobId() + " cannot start: " + e.getMessage());
            return COULD_NOT_START;
        } finally {
            deleteQuietly(workDir);
        }
    }

    /** The URL a checkout clones: the configured template with the project's VCS origin, or null without one. */
    private String checkoutUrl(ClaimedJob job) {
        return job.vcsOrigin() == null ? null : config.checkoutUrl().replace("{vcs_origin}", job.vcsOrigin());
    }

    /** Why the running step must end now: the job's timeout, a remote end (canceled) or the stop grace; else null. */
    private String killReason(ClaimedJob job, Instant deadline, AtomicReference<String> endedRemotely) {
        if (Instant.now().isAfter(deadline)) {
            return "timed out after " + job.timeoutSeconds() + " s";
        }
        if (endedRemotely.get() != null) {
            return endedRemotely.get();
        }
        return stop.graceExpired() ? "the executor is stopping and the grace period is over" : null;
    }

    private JobEnvironment fetchEnvironment(ClaimedJob job, JobCredentialFile credential)
            throws IOException, ApiException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(config.environmentTimeoutSeconds());
        while (true) {
            try {
                return api.environment(config.contextUrl(), job.jobId(), credential.current());
            } catch (ApiException e) {
                if (e.status() != 503) {
                    throw e;
                }
                long waitSeconds = Math.max(1, Math.min(e.retryAfterSeconds().orElse(1L), 30));
                if (Instant.now().plusSeconds(waitSeconds).isAfter(deadline)) {
                    throw new ApiException(
                            503,
                            "environment still not ready after " + config.environmentTimeoutSeconds() + " s: "
                                    + e.getMessage(),
                            e.retryAfterSeconds());
                }
                Log.info("environment of job " + job.jobId() + " not ready yet, retrying in " + waitSeconds + " s");
                Thread.sleep(waitSeconds * 1000);
            }
        }
    }

    private void heartbeat(ClaimedJob job, JobCredentialFile credential, AtomicReference<String> endedRemotely) {
        try {
            Optional<String> renewed = api.heartbeat(config.schedulerUrl(), job.jobId(), credential.current());
            if (renewed.isPresent()) {
                credential.update(renewed.get());
            }
        } catch (ApiException e) {
            if (e.retryable()) {
                Log.info("heartbeat of job " + job.jobId() + " failed, will retry: " + e.getMessage());
            } else {
                // the scheduler no longer counts this job as running (canceled, failed as lost, or expired)
                endedRemotely.compareAndSet(null, "the scheduler ended the job: " + e.getMessage());
            }
        } catch (IOException e) {
            Log.info("heartbeat of job " + job.jobId() + " failed, will retry: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(ClaimedJob job, String credential, int exitCode) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                api.complete(config.schedulerUrl(), job.jobId(), credential, exitCode);
                Log.info("job " + job.jobId() + " finished with exit code " + exitCode + " (reported)");
                return;
            } catch (ApiException | IOException e) {
                boolean retryable = !(e instanceof ApiException refused) || refused.retryable();
                if (!retryable || attempt == REPORT_ATTEMPTS) {
                    Log.info("job " + job.jobId() + " finished with exit code " + exitCode + " but the report failed: "
                            + e.getMessage());
                    return;
                }
            }
            Thread.sleep(1000L << (attempt - 1));
        }
    }

    /** Puts an {@code executor} command on the job's PATH so that {@code executor oidc get} works inside the job. */
    private static Path writeExecutorCommand(Path jobDirectory) throws IOException {
        // in the job's private directory, not the workspace: a checkout needs the workspace to itself
        Path binDir = Files.createDirectory(jobDirectory.resolve("bin"));
        Path script = binDir.resolve("executor");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(
                script,
                "#!/bin/sh\nexec " + shellQuote(java) + " -cp " + shellQuote(ownLocation())
                        + " dev.keyless.executor.Main \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return binDir;
    }

    private static String ownLocation() {
        try {
            return Path.of(JobRunner.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the executor's own jar", e);
        }
    }

    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            Log.info("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
