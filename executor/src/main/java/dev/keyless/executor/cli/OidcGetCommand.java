package dev.keyless.executor.cli;

import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.api.MintedToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code executor oidc get}: a fresh token for a relying party of the job's choice, printed on stdout. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Inside a job: prints a fresh OIDC token for AUDIENCE, minted with the job's credential.",
            "Only the audience and the lifetime can be chosen; iss, sub and every namespaced claim are the "
                    + "issuer's. Needs KEYLESS_JOB_ID and KEYLESS_JOB_CREDENTIAL_FILE, set in every job."
        })
public final class OidcGetCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--audience", paramLabel = "AUD", required = true, description = "The token's aud.")
    String audience;

    @Option(
            names = "--ttl",
            paramLabel = "SECONDS",
            description = "Lifetime, 1-172800 s; the issuer bounds it (default: the issuer's).")
    Integer ttl;

    @Option(
            names = "--issuer",
            paramLabel = "URL",
            descriptionKey = "KEYLESS_ISSUER_URL",
            description = "issuer-service URL (default: $KEYLESS_ISSUER_URL).")
    String issuer;

    OidcGetCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, IOException, InterruptedException, ApiException {
        if (ttl != null) {
            RunCommand.range(ttl, "--ttl", 1, 48 * 3600);
        }
        MintedToken token = new KeylessApi()
                .mintToken(
                        RunCommand.required(issuer, "--issuer", "KEYLESS_ISSUER_URL"),
                        JobContext.jobId(io),
                        JobContext.credential(io),
                        audience,
                        ttl);
        io.out().println(token.token());
        return 0;
    }
}
