package dev.keyless.executor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.executor.Log;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.JobEnvironment;
import dev.keyless.executor.api.KeylessApi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
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
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = heartbeatMillis(config.heartbeatSeconds(), job.credential());
        heartbeats.scheduleAtFixedRate(() -> heartbeat(job, credential, endedRemotely),
                interval, interval, TimeUnit.MILLISECONDS);
        int exitCode;
        try {
            exitCode = execute(job, credential, endedRemotely);
        } finally {
            heartbeats.shutdownNow();
        }
        report(job, credential.current(), exitCode);
        try {
            credential.close();
        } catch (IOException e) {
            Log.info("could not delete the credential file of job " + job.jobId() + ": " + e.getMessage());
        }
        return exitCode;
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
            long lifetimeSeconds = claims.path("exp").asLong() - claims.path("iat").asLong();
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
        Masker masker = new Masker(secrets);
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("keyless-job-");
            Path binDir = writeExecutorCommand(workDir);
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", job.command()).directory(workDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(ProcessEnvironment.build(System.getenv(), job, environment, config.issuerUrl(), binDir,
                    credential.path()));
            Log.info("job " + job.jobId() + " running: " + masker.mask(job.command()));
            Process process = builder.start();
            process.getOutputStream().close();
            Thread stdout = pump(process.getInputStream(), out, masker, "stdout");
            Thread stderr = pump(process.getErrorStream(), err, masker, "stderr");
            int exitCode = await(job, process, endedRemotely);
            stdout.join();
            stderr.join();
            return exitCode;
        } catch (IOException e) {
            Log.info("job " + job.jobId() + " cannot start: " + e.getMessage());
            return COULD_NOT_START;
        } finally {
            deleteQuietly(workDir);
        }
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
                    throw new ApiException(503, "environment still not ready after "
                            + config.environmentTimeoutSeconds() + " s: " + e.getMessage(), e.retryAfterSeconds());
                }
                Log.info("environment of job " + job.jobId() + " not ready yet, retrying in " + waitSeconds + " s");
                Thread.sleep(waitSeconds * 1000);
            }
        }
    }

    /** Waits for the shell, killing it on the job's timeout, on a remote end (canceled) or after the stop grace. */
    private int await(ClaimedJob job, Process process, AtomicReference<String> endedRemotely) throws InterruptedException {
        Instant timeout = job.timeoutSeconds() > 0
                ? Instant.now().plusSeconds(job.timeoutSeconds()).minus(TIMEOUT_MARGIN)
                : Instant.MAX;
        while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
            String reason = null;
            if (Instant.now().isAfter(timeout)) {
                reason = "timed out after " + job.timeoutSeconds() + " s";
            } else if (endedRemotely.get() != null) {
                reason = endedRemotely.get();
            } else if (stop.graceExpired()) {
                reason = "the executor is stopping and the grace period is over";
            }
            if (reason != null) {
                Log.info("job " + job.jobId() + " killed: " + reason);
                kill(process);
            }
        }
        return process.exitValue();
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

    private static Thread pump(InputStream stream, PrintStream target, Masker masker, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String masked = masker.mask(line);
                    synchronized (JobRunner.class) {
                        target.println(masked);
                        target.flush();
                    }
                }
            } catch (IOException e) {
                Log.info("reading the job's " + name + " failed: " + e.getMessage());
            }
        }, "job-" + name);
        thread.start();
        return thread;
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Puts an {@code executor} command on the job's PATH so that {@code executor oidc get} works inside the job. */
    private static Path writeExecutorCommand(Path workDir) throws IOException {
        Path binDir = Files.createDirectory(workDir.resolve(".keyless-bin"));
        Path script = binDir.resolve("executor");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexec " + shellQuote(java) + " -cp " + shellQuote(ownLocation())
                + " dev.keyless.executor.Main \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return binDir;
    }

    private static String ownLocation() {
        try {
            return Path.of(JobRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
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
