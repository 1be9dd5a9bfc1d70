package dev.keyless.executor.cli;

import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.job.ExecutorConfig;
import dev.keyless.executor.job.ExecutorLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code executor run}: claims jobs and runs them (see the module's README). */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Claims jobs from scheduler-service and runs them, until SIGTERM (or one job with --once).",
            "The executor token comes from KEYLESS_EXECUTOR_TOKEN or a file (--token-file), never from the "
                    + "command line, where every process list shows it."
        },
        footer = {
            "",
            "Exit status (--once): 0 the job succeeded, 1 it failed, 2 the claim was refused, "
                    + "4 no job came, 64 usage error."
        })
public final class RunCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--once", description = "Run one job, then exit.")
    boolean once;

    @Option(
            names = "--scheduler",
            paramLabel = "URL",
            descriptionKey = "KEYLESS_SCHEDULER_URL",
            description = "scheduler-service URL (default: $KEYLESS_SCHEDULER_URL).")
    String scheduler;

    @Option(
            names = "--context",
            paramLabel = "URL",
            descriptionKey = "KEYLESS_CONTEXT_URL",
            description = "context-service URL (default: $KEYLESS_CONTEXT_URL).")
    String context;

    @Option(
            names = "--issuer",
            paramLabel = "URL",
            descriptionKey = "KEYLESS_ISSUER_URL",
            description = "issuer-service URL (default: $KEYLESS_ISSUER_URL).")
    String issuer;

    /** Refused with a reason: a token on the command line shows in every process list. */
    @Option(names = "--token", hidden = true)
    String token;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            descriptionKey = "KEYLESS_EXECUTOR_TOKEN_FILE",
            description = "File holding the executor token (default: $KEYLESS_EXECUTOR_TOKEN_FILE; "
                    + "else the token is read from $KEYLESS_EXECUTOR_TOKEN).")
    String tokenFile;

    @Option(
            names = "--wait-seconds",
            paramLabel = "N",
            defaultValue = "20",
            description = "Long poll of one claim, 0-300 s (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(
            names = "--heartbeat-seconds",
            paramLabel = "N",
            defaultValue = "10",
            description = "Heartbeat interval, 1-3600 s, shortened to a third of the job credential's lifetime "
                    + "(default: ${DEFAULT-VALUE}).")
    int heartbeatSeconds;

    @Option(
            names = "--environment-timeout",
            paramLabel = "N",
            defaultValue = "120",
            description = "How long to wait for the job's environment while it is not ready, 1-3600 s "
                    + "(default: ${DEFAULT-VALUE}).")
    int environmentTimeout;

    @Option(
            names = "--grace-seconds",
            paramLabel = "N",
            defaultValue = "60",
            description =
                    "After SIGTERM, how long the current job may still run, 0-86400 s (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(
            names = "--idle-timeout",
            paramLabel = "N",
            defaultValue = "120",
            description = "With --once: how long to wait for a job, 1-86400 s (default: ${DEFAULT-VALUE}).")
    int idleTimeout;

    @Option(names = "--project", paramLabel = "PROJECT_ID", description = "Claim only this project's jobs.")
    String project;

    @Option(
            names = "--token-refresh-share",
            paramLabel = "SHARE",
            descriptionKey = "KEYLESS_TOKEN_REFRESH_SHARE",
            defaultValue = "0.5",
            description = "A token file a job wrote (aws/gcp configure) is re-minted once this share of its "
                    + "lifetime is used, 0.05-0.95 (default: $KEYLESS_TOKEN_REFRESH_SHARE, else 0.5).")
    double tokenRefreshShare;

    @Option(
            names = "--checkout-url",
            paramLabel = "TEMPLATE",
            descriptionKey = "KEYLESS_CHECKOUT_URL",
            defaultValue = "https://{vcs_origin}.git",
            description = "What a checkout step clones: {vcs_origin} is replaced by the project's VCS origin "
                    + "(github.com/acme/app), e.g. file:///srv/git/{vcs_origin} for local mirrors "
                    + "(default: $KEYLESS_CHECKOUT_URL, else ${DEFAULT-VALUE}).")
    String checkoutUrl;

    RunCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, InterruptedException {
        return new ExecutorLoop(config(), new KeylessApi()).run();
    }

    ExecutorConfig config() throws UsageException {
        return new ExecutorConfig(
                required(scheduler, "--scheduler", "KEYLESS_SCHEDULER_URL"),
                required(context, "--context", "KEYLESS_CONTEXT_URL"),
                required(issuer, "--issuer", "KEYLESS_ISSUER_URL"),
                executorToken(),
                range(waitSeconds, "--wait-seconds", 0, 300),
                range(heartbeatSeconds, "--heartbeat-seconds", 1, 3600),
                range(environmentTimeout, "--environment-timeout", 1, 3600),
                range(graceSeconds, "--grace-seconds", 0, 86400),
                once,
                range(idleTimeout, "--idle-timeout", 1, 86400),
                project == null ? null : JobContext.uuid(project, "--project"),
                share(tokenRefreshShare),
                checkoutUrl(checkoutUrl));
    }

    /**
     * The executor token from a file ({@code --token-file} or {@code KEYLESS_EXECUTOR_TOKEN_FILE}) or from
     * {@code KEYLESS_EXECUTOR_TOKEN}; {@code --token} is refused, since a command line shows in every process list.
     */
    private String executorToken() throws UsageException {
        if (token != null) {
            throw new UsageException("--token is not accepted: a command-line argument shows in every process list; "
                    + "set KEYLESS_EXECUTOR_TOKEN or use --token-file FILE");
        }
        if (tokenFile != null) {
            try {
                String fromFile = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8)
                        .strip();
                if (fromFile.isEmpty()) {
                    throw new UsageException("the executor token file " + tokenFile + " is empty");
                }
                return fromFile;
            } catch (IOException e) {
                throw new UsageException("cannot read the executor token file " + tokenFile + ": " + e.getMessage());
            }
        }
        String fromEnvironment = io.variable("KEYLESS_EXECUTOR_TOKEN");
        if (fromEnvironment == null) {
            throw new UsageException(
                    "the executor token is required: set KEYLESS_EXECUTOR_TOKEN or use --token-file FILE");
        }
        return fromEnvironment;
    }

    private static String checkoutUrl(String template) throws UsageException {
        if (!template.contains("{vcs_origin}")) {
            throw new UsageException("--checkout-url must contain {vcs_origin}, where the project's VCS origin goes");
        }
        return template;
    }

    static String required(String value, String option, String variable) throws UsageException {
        if (value == null || value.isBlank()) {
            throw new UsageException(option + " is required (or set " + variable + ")");
        }
        return value;
    }

    static int range(int value, String option, int min, int max) throws UsageException {
        if (value < min || value > max) {
            throw new UsageException(option + " must be between " + min + " and " + max);
        }
        return value;
    }

    private static double share(double value) throws UsageException {
        if (!(value >= 0.05 && value <= 0.95)) {
            throw new UsageException("--token-refresh-share must be between 0.05 and 0.95");
        }
        return value;
    }
}
