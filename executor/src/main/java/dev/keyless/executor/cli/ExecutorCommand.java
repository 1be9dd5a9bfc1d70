package dev.keyless.executor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code executor}: the top of the command tree; without a sub-command it is a usage error. */
@Command(
        name = "executor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "The Keyless reference executor: runs CI jobs, and inside a job mints OIDC tokens and "
                    + "configures cloud credentials that stay fresh for the job's whole life."
        },
        footer = {"", "Exit status: 0 success, 1 failure, 64 usage error (run --once: 2 claim refused, 4 no job)."},
        subcommands = CommandLine.HelpCommand.class)
public final class ExecutorCommand implements Callable<Integer> {

    @Override
    public Integer call() throws UsageException {
        throw new UsageException("no command");
    }

    /** {@code executor oidc}: a group of its own. */
    @Command(
            name = "oidc",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "OIDC tokens: mint one inside a job, or verify one as a relying party would.")
    public static final class Oidc implements Callable<Integer> {
        @Override
        public Integer call() throws UsageException {
            throw new UsageException("oidc needs get or verify");
        }
    }

    @Command(
            name = "aws",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "AWS: a profile that assumes a role with the job's OIDC token.")
    public static final class Aws implements Callable<Integer> {
        @Override
        public Integer call() throws UsageException {
            throw new UsageException("aws needs configure");
        }
    }

    @Command(
            name = "gcp",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Google Cloud: workload identity federation with the job's OIDC token.")
    public static final class Gcp implements Callable<Integer> {
        @Override
        public Integer call() throws UsageException {
            throw new UsageException("gcp needs configure");
        }
    }

    @Command(
            name = "vault",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "HashiCorp Vault: log in with the job's OIDC token.")
    public static final class Vault implements Callable<Integer> {
        @Override
        public Integer call() throws UsageException {
            throw new UsageException("vault needs login");
        }
    }
}
