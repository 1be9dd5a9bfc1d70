package dev.keyless.executor.cli;

import dev.keyless.executor.job.ExecutorConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Stream;

/** The command tree, every command reading the same {@link Io}. */
public final class Commands {

    private Commands() {}

    public static CommandLine commandLine(Io io) {
        CommandLine root = new CommandLine(new ExecutorCommand());
        root.addSubcommand(new RunCommand(io));
        root.addSubcommand(new PodCommand(io));
        root.addSubcommand(new CommandLine(new ExecutorCommand.Oidc())
                .addSubcommand(new OidcGetCommand(io))
                .addSubcommand(new OidcVerifyCommand(io))
                .addSubcommand(new OidcSimulateCommand(io)));
        root.addSubcommand(new CommandLine(new ExecutorCommand.Aws()).addSubcommand(new AwsConfigureCommand(io)));
        root.addSubcommand(new CommandLine(new ExecutorCommand.Gcp()).addSubcommand(new GcpConfigureCommand(io)));
        root.addSubcommand(new CommandLine(new ExecutorCommand.Vault()).addSubcommand(new VaultLoginCommand(io)));
        // set last: these settings reach only the sub-commands already added
        root.setDefaultValueProvider(new EnvironmentDefaults(io.env()));
        root.setOut(new PrintWriter(io.out(), true));
        root.setErr(new PrintWriter(io.err(), true));
        return root;
    }

    /** The settings {@code executor run ARGS} would run with (for tests). */
    public static ExecutorConfig runConfig(List<String> args, Io io) throws UsageException {
        CommandLine commandLine = commandLine(io);
        CommandLine.ParseResult parsed = commandLine.parseArgs(
                Stream.concat(Stream.of("run"), args.stream()).toArray(String[]::new));
        return ((RunCommand) parsed.subcommand().commandSpec().userObject()).config();
    }
}
