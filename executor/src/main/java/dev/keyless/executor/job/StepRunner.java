package dev.keyless.executor.job;

import dev.keyless.executor.Log;
import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.ClaimedJob.Step;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a job's steps in order in one workspace (CircleCI's model): each {@code run} step's command is written to a
 * script file and given to the step's shell ({@code /bin/bash -eo pipefail} by default), with the step's
 * environment; {@code checkout} clones the project's repository at the pipeline's revision. Every step shell reads
 * {@code $BASH_ENV}, so a step can export variables to the later ones. The first failing step fails the job and
 * only {@code when: on_fail} or {@code always} steps run after it. Each step is reported with its name, duration
 * and exit code.
 */
final class StepRunner {

    /** A step's outcome as reported; {@code exitCode} is null for a step that did not run. */
    record StepResult(int number, String name, Integer exitCode, Duration duration) {

        String describe() {
            return exitCode == null
                    ? "skipped"
                    : "exit code " + exitCode + " after "
                            + String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        }
    }

    static final String DEFAULT_SHELL = "/bin/bash -eo pipefail";
    /** A plain command runs as it always has: {@code bash} without {@code -e}. */
    private static final String PLAIN_COMMAND_SHELL = "bash";

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final int CANNOT_START = 1;

    private final ClaimedJob job;
    private final Path workspace;
    private final Path scripts;
    private final String checkoutUrl;
    private final JobMasker masker;
    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<String> killReason;

    /**
     * @param scripts     a private directory for the step scripts (outside the workspace a checkout fills)
     * @param checkoutUrl the repository a checkout clones, or null when the job has no VCS origin
     * @param killReason  why the running step must be killed now (timeout, canceled, stopping), or null
     */
    StepRunner(
            ClaimedJob job,
            Path workspace,
            Path scripts,
            String checkoutUrl,
            JobMasker masker,
            PrintStream out,
            PrintStream err,
            Supplier<String> killReason) {
        this.job = job;
        this.workspace = workspace;
        this.scripts = scripts;
        this.checkoutUrl = checkoutUrl;
        this.masker = masker;
        this.out = out;
        this.err = err;
        this.killReason = killReason;
    }

    /** The job's steps: its own, or its plain command as one step. */
    static List<Step> steps(ClaimedJob job) {
        if (job.steps() != null && !job.steps().isEmpty()) {
            return job.steps();
        }
        return List.of(new Step(Step.RUN, job.name(), job.command(), Map.of(), PLAIN_COMMAND_SHELL, null, null));
    }

    /** Runs the steps; returns the job's exit code (the first failing step's) and the step reports. */
    List<StepResult> run(Function<Map<String, String>, Map<String, String>> environment) throws InterruptedException {
        List<Step> steps = steps(job);
        List<StepResult> results = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String name = step.name() == null ? step.type() : step.name();
            String when = step.when() == null ? "on_success" : step.when();
            boolean runs = failed ? !when.equals("on_success") : !when.equals("on_fail");
            if (!runs || killReason.get() != null) {
                results.add(new StepResult(i + 1, name, null, Duration.ZERO));
                continue;
            }
            announce("step " + (i + 1) + "/" + steps.size() + " " + quoted(name) + " starts");
            Instant started = Instant.now();
            int exitCode;
            try {
                exitCode = Step.CHECKOUT.equals(step.type()) ? checkout(i) : run(step, i, environment);
            } catch (IOException e) {
                announce("step " + quoted(name) + " cannot start: " + e.getMessage());
                exitCode = CANNOT_START;
            }
            StepResult result = new StepResult(i + 1, name, exitCode, Duration.between(started, Instant.now()));
            results.add(result);
            announce("step " + (i + 1) + "/" + steps.size() + " " + quoted(name) + " " + result.describe());
            failed |= exitCode != 0;
        }
        return results;
    }

    /** The job's exit code: that of its first failing step, else 0. */
    static int exitCode(List<StepResult> results) {
        return results.stream()
                .map(StepResult::exitCode)
                .filter(code -> code != null && code != 0)
                .findFirst()
                .orElse(0);
    }

    private int run(Step step, int index, Function<Map<String, String>, Map<String, String>> environment)
            throws IOException, InterruptedException {
        Path script = scripts.resolve("step-" + (index + 1) + ".sh");
        PrivateFiles.write(script, step.command() == null ? "" : step.command());
        List<String> command = new ArrayList<>(
                Arrays.asList((step.shell() == null || step.shell().isBlank() ? DEFAULT_SHELL : step.shell())
                        .trim()
                        .split("\\s+")));
        command.add(script.toString());
        Map<String, String> variables = environment.apply(step.environment());
        Path directory = workingDirectory(step.workingDirectory(), variables.get("HOME"));
        Files.createDirectories(directory);
        return execute(new ProcessBuilder(command).directory(directory.toFile()), variables);
    }

    /**
     * A fetch of the project's repository into the workspace, then the pipeline's revision checked out; a
     * repository that cannot be reached or a revision it lacks fails the step saying which.
     */
    private int checkout(int index) throws IOException, InterruptedException {
        if (checkoutUrl == null || job.revision() == null) {
            announce("checkout: the job names no repository and revision; nothing to check out");
            return CANNOT_START;
        }
        String script = String.join(
                "\n",
                "set -eu",
                "url=" + JobRunner.shellQuote(checkoutUrl),
                "revision=" + JobRunner.shellQuote(job.revision()),
                "if ! command -v git >/dev/null 2>&1; then",
                "  echo \"checkout: git is not on PATH, so $url cannot be cloned\" >&2; exit 1",
                "fi",
                "if ! git ls-remote \"$url\" >/dev/null 2>&1; then",
                "  echo \"checkout: cannot reach the repository $url; set the executor's --checkout-url to a URL it can"
                        + " clone\" >&2; exit 1",
                "fi",
                "git init --quiet .",
                "git remote add origin \"$url\"",
                "git fetch --quiet --tags origin '+refs/heads/*:refs/remotes/origin/*'",
                "if ! git -c advice.detachedHead=false checkout --quiet --force \"$revision\" 2>/dev/null; then",
                "  echo \"checkout: revision $revision is not in $url\" >&2; exit 1",
                "fi",
                "echo \"checked out $revision from $url\"",
                "");
        Path file = scripts.resolve("step-" + (index + 1) + "-checkout.sh");
        PrivateFiles.write(file, script);
        ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).directory(workspace.toFile());
        Map<String, String> variables = new LinkedHashMap<>();
        for (String name : ProcessEnvironment.PASSED_THROUGH) {
            String value = System.getenv(name);
            if (value != null) {
                variables.put(name, value);
            }
        }
        // never ask on a terminal for credentials: an unreachable repository fails at once
        variables.put("GIT_TERMINAL_PROMPT", "0");
        return execute(builder, variables);
    }

    private Path workingDirectory(String configured, String home) {
        if (configured == null || configured.isBlank()) {
            return workspace;
        }
        if (configured.equals("~") || configured.startsWith("~/")) {
            return Path.of(home == null ? System.getProperty("user.home") : home)
                    .resolve(configured.substring(Math.min(2, configured.length())));
        }
        return workspace.resolve(configured);
    }

    private int execute(ProcessBuilder builder, Map<String, String> variables)
            throws IOException, InterruptedException {
        builder.environment().clear();
        builder.environment().putAll(variables);
        Process process = builder.start();
        process.getOutputStream().close();
        Thread stdout = pump(process.getInputStream(), out, masker, "stdout");
        Thread stderr = pump(process.getErrorStream(), err, masker, "stderr");
        int exitCode = await(process);
        stdout.join();
        stderr.join();
        return exitCode;
    }

    /** Waits for the step, killing its whole process tree when the job must end. */
    private int await(Process process) throws InterruptedException {
        while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
            String reason = killReason.get();
            if (reason != null) {
                Log.info("job " + job.jobId() + " killed: " + reason);
                kill(process);
            }
        }
        return process.exitValue();
    }

    private void announce(String line) {
        synchronized (JobRunner.class) {
            out.println("[keyless] " + masker.mask(line));
            out.flush();
        }
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }

    private static Thread pump(InputStream stream, PrintStream target, JobMasker masker, String name) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
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
                },
                "job-" + name);
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
}
