package dev.keyless.executor.job;

import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.ClaimedJob.Step;
import dev.keyless.executor.api.JobEnvironment;
import dev.keyless.executor.job.StepRunner.StepResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job's steps run in order in one workspace, with CircleCI's environment layers, when: and checkout. */
class StepRunnerTest {

    private Path root;
    private Path workspace;
    private Path scripts;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("step-runner-test-");
        workspace = Files.createDirectory(root.resolve("workspace"));
        scripts = PrivateFiles.directory(root.resolve("scripts"));
    }

    @AfterEach
    void tearDown() throws IOException {
        PrivateFiles.deleteRecursively(root);
    }

    private static Step run(String name, String command, Map<String, String> environment, String when) {
        return new Step(Step.RUN, name, command, environment, null, null, when);
    }

    private static ClaimedJob job(
            List<Step> steps, Map<String, String> jobEnvironment, Map<String, String> builtIn, String revision) {
        return new ClaimedJob(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "build",
                "unused",
                60,
                "cred",
                steps,
                jobEnvironment,
                builtIn,
                "cimg/base:stable",
                "github.com/acme/app",
                "refs/heads/main",
                revision);
    }

    private List<StepResult> execute(ClaimedJob job, JobEnvironment contexts, String checkoutUrl) throws Exception {
        StepRunner runner = new StepRunner(
                job,
                workspace,
                scripts,
                checkoutUrl,
                new JobMasker(List.of("s3cret"), new TokenRegistry(root)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                () -> null);
        Path bashEnv = scripts.resolve("bash_env");
        PrivateFiles.write(bashEnv, "");
        return runner.run(stepEnvironment -> {
            Map<String, String> variables = ProcessEnvironment.build(
                    System.getenv(),
                    job,
                    contexts,
                    stepEnvironment,
                    "http://issuer",
                    root,
                    root.resolve("credential"),
                    root);
            variables.put("BASH_ENV", bashEnv.toString());
            return variables;
        });
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theStepEnvironmentWinsOverTheJobsOverTheContextsOverTheBuiltInOnes() throws Exception {
        ClaimedJob job = job(
                List.of(run("layers", "echo \"$A $B $C $D\"", Map.of("A", "step"), null)),
                Map.of("A", "job", "B", "job"),
                Map.of("A", "builtin", "B", "builtin", "C", "builtin", "D", "builtin", "CIRCLE_JOB", "build"),
                null);
        JobEnvironment contexts =
                new JobEnvironment(job.jobId(), Map.of("A", "context", "B", "context", "C", "context"), List.of());
        List<StepResult> results = execute(job, contexts, null);
        assertEquals(0, StepRunner.exitCode(results));
        assertTrue(output().contains("\nstep job context builtin\n"), output());
    }

    @Test
    void stepsShareTheWorkspaceAndBashEnvAndAFailingStepStopsTheJobButOnFailAndAlwaysStepsRun() throws Exception {
        ClaimedJob job = job(
                List.of(
                        run("write", "echo hello > file; echo 'export CARRIED=yes' >> \"$BASH_ENV\"", Map.of(), null),
                        run("read", "echo \"read $(cat file) carried=$CARRIED\"", Map.of(), null),
                        run("fail", "false; echo not reached", Map.of(), null),
                        run("skipped", "echo should not run", Map.of(), null),
                        run("on failure", "echo cleanup after failure", Map.of(), "on_fail"),
                        run("always", "echo always runs", Map.of(), "always")),
                Map.of(),
                Map.of(),
                null);
        List<StepResult> results = execute(job, new JobEnvironment(job.jobId(), Map.of(), List.of()), null);
        assertEquals(
                List.of(0, 0, 1),
                results.subList(0, 3).stream().map(StepResult::exitCode).toList());
        assertNull(results.get(3).exitCode(), "a step after the failure did not run");
        assertEquals(0, results.get(4).exitCode());
        assertEquals(0, results.get(5).exitCode());
        assertEquals(1, StepRunner.exitCode(results), "the job fails with the failing step's code");
        assertTrue(output().contains("read hello carried=yes"), output());
        assertTrue(!output().contains("not reached") && !output().contains("should not run"), output());
        assertTrue(output().contains("[keyless] step 3/6 \"fail\" exit code 1 after"), output());
        assertTrue(output().contains("cleanup after failure") && output().contains("always runs"), output());
    }

    @Test
    void anOnFailStepDoesNotRunWhenEverythingSucceeded() throws Exception {
        ClaimedJob job = job(
                List.of(run("ok", "true", Map.of(), null), run("on failure", "echo cleanup", Map.of(), "on_fail")),
                Map.of(),
                Map.of(),
                null);
        List<StepResult> results = execute(job, new JobEnvironment(job.jobId(), Map.of(), List.of()), null);
        assertNull(results.get(1).exitCode());
        assertEquals(0, StepRunner.exitCode(results));
    }

    @Test
    void checkoutClonesTheRepositoryAtThePipelinesRevision() throws Exception {
        Path origin = root.resolve("origin");
        String first = commit(origin, "first");
        commit(origin, "second");
        ClaimedJob job = job(
                List.of(
                        new Step(Step.CHECKOUT, "Checkout code", null, null, null, null, null),
                        run("show", "cat content.txt", Map.of(), null)),
                Map.of(),
                Map.of(),
                first);
        List<StepResult> results =
                execute(job, new JobEnvironment(job.jobId(), Map.of(), List.of()), "file://" + origin);
        assertEquals(0, StepRunner.exitCode(results), output());
        assertTrue(output().contains("checked out " + first), output());
        assertTrue(output().contains("\nfirst\n"), "the pipeline's revision, not the newest commit: " + output());
    }

    @Test
    void checkoutSaysClearlyWhenTheRepositoryCannotBeReachedOrLacksTheRevision() throws Exception {
        ClaimedJob job = job(
                List.of(new Step(Step.CHECKOUT, "Checkout code", null, null, null, null, null)),
                Map.of(),
                Map.of(),
                "0123456789abcdef0123456789abcdef01234567");
        List<StepResult> unreachable =
                execute(job, new JobEnvironment(job.jobId(), Map.of(), List.of()), "file://" + root.resolve("nowhere"));
        assertEquals(1, StepRunner.exitCode(unreachable));
        assertTrue(
                output().contains("checkout: cannot reach the repository file://" + root.resolve("nowhere")), output());

        Path origin = root.resolve("origin");
        commit(origin, "only");
        Files.walk(workspace)
                .sorted(Comparator.reverseOrder())
                .filter(p -> !p.equals(workspace))
                .forEach(p -> p.toFile().delete());
        List<StepResult> missing =
                execute(job, new JobEnvironment(job.jobId(), Map.of(), List.of()), "file://" + origin);
        assertEquals(1, StepRunner.exitCode(missing));
        assertTrue(
                output().contains("checkout: revision 0123456789abcdef0123456789abcdef01234567 is not in file://"
                        + origin),
                output());
    }

    private static String commit(Path repository, String content) throws Exception {
        if (!Files.exists(repository)) {
            Files.createDirectories(repository);
            git(repository, "init", "--quiet", "--initial-branch=main");
        }
        Files.writeString(repository.resolve("content.txt"), content + "\n");
        git(repository, "add", "content.txt");
        git(repository, "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "--quiet", "-m", content);
        return git(repository, "rev-parse", "HEAD").strip();
    }

    private static String git(Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + output);
        return output;
    }
}
