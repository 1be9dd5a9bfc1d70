package dev.keyless.executor;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.api.MintedToken;
import dev.keyless.executor.cli.Arguments;
import dev.keyless.executor.cli.UsageException;
import dev.keyless.executor.job.ExecutorConfig;
import dev.keyless.executor.job.ExecutorLoop;
import dev.keyless.executor.oidc.SimulateCommand;
import dev.keyless.executor.oidc.TokenVerifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code executor run | oidc get | oidc verify}: see the module's README. */
public final class Main {

    static final int USAGE = 64;
    static final int FAILURE = 1;

    static final String USAGE_TEXT = """
            usage:
              executor run [--once] --scheduler URL --context URL --issuer URL [--token-file FILE]
                           [--wait-seconds N] [--heartbeat-seconds N] [--environment-timeout N]
                           [--grace-seconds N] [--idle-timeout N] [--project PROJECT_ID]
              executor oidc get --audience AUD [--ttl SECONDS] [--issuer URL]   (inside a job)
              executor oidc verify --issuer ISSUER_URL [--audience AUD] TOKEN
              executor oidc simulate --policy FILE [--type aws|gcp|vault] [--audience AUD]   (inside a job)
            environment: KEYLESS_SCHEDULER_URL, KEYLESS_CONTEXT_URL, KEYLESS_ISSUER_URL, and the executor token
                         in KEYLESS_EXECUTOR_TOKEN or a file named by --token-file / KEYLESS_EXECUTOR_TOKEN_FILE
                         (never on the command line, where every process list shows it);
                         inside a job KEYLESS_JOB_ID, KEYLESS_JOB_CREDENTIAL_FILE, KEYLESS_ISSUER_URL""";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(List.of(args), System.getenv()));
    }

    static int execute(List<String> args, Map<String, String> env) {
        try {
            return dispatch(args, env);
        } catch (UsageException e) {
            System.err.println("executor: " + e.getMessage());
            System.err.println(USAGE_TEXT);
            return USAGE;
        } catch (ApiException | IOException | TokenVerifier.VerificationException e) {
            System.err.println("executor: " + e.getMessage());
            return FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILURE;
        }
    }

    private static int dispatch(List<String> args, Map<String, String> env)
            throws UsageException, ApiException, IOException, InterruptedException, TokenVerifier.VerificationException {
        if (args.isEmpty()) {
            throw new UsageException("no command");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "run":
                return new ExecutorLoop(runConfig(rest, env), new KeylessApi()).run();
            case "oidc":
                if (rest.isEmpty()) {
                    throw new UsageException("oidc needs get, verify or simulate");
                }
                List<String> oidcArgs = rest.subList(1, rest.size());
                switch (rest.get(0)) {
                    case "get":
                        return oidcGet(oidcArgs, env);
                    case "verify":
                        return oidcVerify(oidcArgs, env);
                    case "simulate":
                        return SimulateCommand.run(oidcArgs, env, (issuer, audience) -> {
                            Arguments environment = Arguments.parse(List.of(), Set.of(), Set.of(), env);
                            return new KeylessApi().mintToken(issuer,
                                    uuid(environment.requiredEnvironment("KEYLESS_JOB_ID"), "KEYLESS_JOB_ID"),
                                    jobCredential(environment, env), audience, null).token();
                        });
                    default:
                        throw new UsageException("unknown oidc command " + rest.get(0));
                }
            case "help":
            case "--help":
                System.out.println(USAGE_TEXT);
                return 0;
            default:
                throw new UsageException("unknown command " + args.get(0));
        }
    }

    static ExecutorConfig runConfig(List<String> args, Map<String, String> env) throws UsageException {
        Arguments arguments = Arguments.parse(args,
                Set.of("scheduler", "context", "issuer", "token", "token-file", "wait-seconds", "heartbeat-seconds",
                        "environment-timeout", "grace-seconds", "idle-timeout", "project"),
                Set.of("once"), env);
        if (!arguments.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + arguments.positional().get(0));
        }
        return new ExecutorConfig(
                arguments.required("scheduler", "KEYLESS_SCHEDULER_URL"),
                arguments.required("context", "KEYLESS_CONTEXT_URL"),
                arguments.required("issuer", "KEYLESS_ISSUER_URL"),
                executorToken(arguments, env),
                arguments.seconds("wait-seconds", null, 20, 0, 300),
                arguments.seconds("heartbeat-seconds", null, 10, 1, 3600),
                arguments.seconds("environment-timeout", null, 120, 1, 3600),
                arguments.seconds("grace-seconds", null, 60, 0, 86400),
                arguments.flag("once"),
                arguments.seconds("idle-timeout", null, 120, 1, 86400),
                uuid(arguments.optional("project", null).orElse(null), "--project"));
    }

    /**
     * The executor token from a file ({@code --token-file} or {@code KEYLESS_EXECUTOR_TOKEN_FILE}) or from
     * {@code KEYLESS_EXECUTOR_TOKEN}; {@code --token} is refused, since a command line shows in every process list.
     */
    static String executorToken(Arguments arguments, Map<String, String> env) throws UsageException {
        if (arguments.optional("token", null).isPresent()) {
            throw new UsageException("--token is not accepted: a command-line argument shows in every process list; "
                    + "set KEYLESS_EXECUTOR_TOKEN or use --token-file FILE");
        }
        Optional<String> file = arguments.optional("token-file", "KEYLESS_EXECUTOR_TOKEN_FILE");
        if (file.isPresent()) {
            try {
                String token = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new UsageException("the executor token file " + file.get() + " is empty");
                }
                return token;
            } catch (IOException e) {
                throw new UsageException("cannot read the executor token file " + file.get() + ": " + e.getMessage());
            }
        }
        String token = env.get("KEYLESS_EXECUTOR_TOKEN");
        if (token == null || token.isBlank()) {
            throw new UsageException("the executor token is required: set KEYLESS_EXECUTOR_TOKEN or use --token-file FILE");
        }
        return token.strip();
    }

    /** The job's current credential: the file the executor keeps fresh, else the variable a caller set. */
    static String jobCredential(Arguments arguments, Map<String, String> env) throws UsageException {
        String file = env.get("KEYLESS_JOB_CREDENTIAL_FILE");
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UsageException("cannot read the job credential file " + file + ": " + e.getMessage());
            }
        }
        return arguments.requiredEnvironment("KEYLESS_JOB_CREDENTIAL_FILE");
    }

    private static int oidcGet(List<String> args, Map<String, String> env)
            throws UsageException, ApiException, IOException, InterruptedException {
        Arguments arguments = Arguments.parse(args, Set.of("audience", "ttl", "issuer"), Set.of(), env);
        UUID job = uuid(arguments.requiredEnvironment("KEYLESS_JOB_ID"), "KEYLESS_JOB_ID");
        Integer ttl = arguments.optional("ttl", null).isPresent()
                ? arguments.seconds("ttl", null, 0, 1, 48 * 3600) : null;
        MintedToken token = new KeylessApi().mintToken(
                arguments.required("issuer", "KEYLESS_ISSUER_URL"), job,
                jobCredential(arguments, env),
                arguments.required("audience", null), ttl);
        System.out.println(token.token());
        return 0;
    }

    private static UUID uuid(String value, String what) throws UsageException {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(what + " must be an id (a UUID)");
        }
    }

    private static int oidcVerify(List<String> args, Map<String, String> env)
            throws UsageException, ApiException, IOException, InterruptedException, TokenVerifier.VerificationException {
        Arguments arguments = Arguments.parse(args, Set.of("issuer", "audience"), Set.of(), env);
        if (arguments.positional().size() != 1) {
            throw new UsageException("oidc verify needs exactly one TOKEN");
        }
        TokenVerifier.Verified verified = new TokenVerifier(new KeylessApi()).verify(
                arguments.required("issuer", null), arguments.optional("audience", null).orElse(null),
                arguments.positional().get(0));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("verified", true);
        result.put("issuer", verified.issuer());
        result.put("jwks_uri", verified.jwksUri());
        result.put("header", verified.header());
        result.put("claims", verified.claims());
        System.out.println(KeylessApi.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        return 0;
    }
}
