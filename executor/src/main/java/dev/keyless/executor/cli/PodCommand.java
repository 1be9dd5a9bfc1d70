package dev.keyless.executor.cli;

import dev.keyless.executor.pod.PodMode;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code executor pod}: runs the one job of a Kubernetes job Pod that the operator created (see operator/README.md). */
@Command(
        name = "pod",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runs the job of this Pod: reads the credential the operator mounted, pulls the environment,",
            "runs the command with masked output, heartbeats and reports completion.",
            "Reads KEYLESS_SCHEDULER_URL, KEYLESS_CONTEXT_URL, KEYLESS_ISSUER_URL and KEYLESS_JOB_DIR."
        })
public final class PodCommand implements Callable<Integer> {

    private final Io io;

    PodCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, InterruptedException {
        return PodMode.fromEnvironment(io.env()).run();
    }
}
