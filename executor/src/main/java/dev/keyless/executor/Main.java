package dev.keyless.executor;

import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.cli.Commands;
import dev.keyless.executor.cli.Io;
import dev.keyless.executor.cli.UsageException;
import dev.keyless.executor.oidc.TokenVerifier;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code executor run | oidc get | oidc verify | aws configure | gcp configure | vault login}: see the module's
 * README. Exit status: 0 success, {@link #FAILURE} when a command could not do its work, {@link #USAGE} (EX_USAGE of
 * sysexits.h) when the command line cannot be understood.
 */
public final class Main {

    public static final int USAGE = 64;
    public static final int FAILURE = 1;

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(List.of(args), System.getenv(), System.out, System.err));
    }

    public static int execute(List<String> args, Map<String, String> env) {
        return execute(args, env, System.out, System.err);
    }

    public static int execute(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine commandLine = Commands.commandLine(new Io(env, out, err));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("executor: " + e.getMessage());
            e.getCommandLine().usage(err);
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            if (e instanceof UsageException) {
                err.println("executor: " + e.getMessage());
                failed.usage(err);
                return USAGE;
            }
            if (e instanceof ApiException
                    || e instanceof IOException
                    || e instanceof TokenVerifier.VerificationException) {
                err.println("executor: " + e.getMessage());
                return FAILURE;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return FAILURE;
            }
            throw e;
        });
        return commandLine.execute(args.toArray(String[]::new));
    }
}
