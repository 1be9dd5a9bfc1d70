package dev.keyless.executor.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.api.MintedToken;
import dev.keyless.executor.cloud.GcpCredentialConfig;
import dev.keyless.executor.job.PrivateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code executor gcp configure}: an external_account credential configuration over a token file kept fresh. */
@Command(
        name = "configure",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Inside a job: writes a Google external_account credential configuration for a workload "
                    + "identity provider, reading a token file that the executor re-mints while the job runs. Google's "
                    + "auth libraries and gcloud then exchange the job's token by themselves.",
            "Prints the export lines later steps need: eval \"$(executor gcp configure --provider PROVIDER)\"."
        })
public final class GcpConfigureCommand implements Callable<Integer> {

    private final Io io;

    @Option(
            names = "--provider",
            paramLabel = "PROVIDER",
            required = true,
            description =
                    "//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID")
    String provider;

    @Option(
            names = "--service-account",
            paramLabel = "EMAIL",
            description = "Impersonate this service account (default: use the federated identity directly).")
    String serviceAccount;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description =
                    "Where to write the configuration (default: gcp/credentials.json in the job's own directory).")
    Path output;

    @Option(
            names = "--audience",
            paramLabel = "AUD",
            description = "aud of the token (default: https: followed by the provider, the audience a provider "
                    + "accepts when it lists none of its own).")
    String audience;

    @Option(
            names = "--token-url",
            paramLabel = "URL",
            defaultValue = GcpCredentialConfig.TOKEN_URL,
            description = "The security token service (default: ${DEFAULT-VALUE}).")
    String tokenUrl;

    @Option(
            names = "--token-ttl",
            paramLabel = "SECONDS",
            defaultValue = "900",
            description = "Lifetime asked for each token in the file, 60-3600 s; the executor re-mints it well "
                    + "before it ends (default: ${DEFAULT-VALUE}).")
    int tokenTtl;

    GcpConfigureCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, IOException, InterruptedException, ApiException {
        if (!GcpCredentialConfig.PROVIDER.matcher(provider).matches()) {
            throw new UsageException("--provider must be //iam.googleapis.com/projects/NUMBER/locations/global/"
                    + "workloadIdentityPools/POOL/providers/ID");
        }
        if (serviceAccount != null
                && !GcpCredentialConfig.SERVICE_ACCOUNT.matcher(serviceAccount).matches()) {
            throw new UsageException(
                    "--service-account must be a service account's email, NAME@PROJECT.iam.gserviceaccount.com");
        }
        URI sts = URI.create(tokenUrl);
        if (!"https".equals(sts.getScheme())
                && !"127.0.0.1".equals(sts.getHost())
                && !"localhost".equals(sts.getHost())) {
            throw new UsageException("--token-url must be https (plain http only to this machine)");
        }
        RunCommand.range(tokenTtl, "--token-ttl", 60, 3600);
        JobContext job = JobContext.from(io);
        String tokenAudience = audience != null ? audience : GcpCredentialConfig.defaultTokenAudience(provider);

        MintedToken token = job.mint(io, tokenAudience, tokenTtl);
        Path tokenFile = job.registry()
                .register(GcpCredentialConfig.tokenName(provider), token.token(), tokenAudience, tokenTtl);
        Path config = output != null
                ? output.toAbsolutePath()
                : job.directory().resolve("gcp").resolve("credentials.json");
        PrivateFiles.write(
                config,
                KeylessApi.JSON
                                .copy()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(
                                        GcpCredentialConfig.build(provider, tokenFile, serviceAccount, tokenUrl))
                        + "\n");

        io.out().println(Exports.export("GOOGLE_APPLICATION_CREDENTIALS", config.toString()));
        io.out().println(Exports.export("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", config.toString()));

        io.err()
                .println("executor: wrote the credential configuration " + config + " for " + provider
                        + (serviceAccount == null ? "" : ", impersonating " + serviceAccount));
        io.err()
                .println("executor: token file " + tokenFile + " (aud " + tokenAudience + ") is re-minted by the "
                        + "executor until the job ends, then removed");
        if (output != null) {
            io.err()
                    .println("executor: " + config + " is outside the job's own directory: it stays after the job "
                            + "(it holds no secret, only the token file's path)");
        }
        io.err()
                .println("executor: on the Google Cloud side: the pool's OIDC provider with issuer " + job.orgIssuer()
                        + (audience == null ? "" : " and allowed audience " + audience)
                        + ", google.subject mapped from the namespaced job-id claim (a V2 sub is longer than GCP's 127 bytes), an attribute "
                        + "condition on the namespaced claims, and "
                        + (serviceAccount == null
                                ? "IAM roles granted to the principal or principalSet"
                                : "roles/iam.workloadIdentityUser on " + serviceAccount + " for the principalSet")
                        + " (see deploy/examples/gcp)");
        return 0;
    }
}
