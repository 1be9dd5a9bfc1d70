package dev.keyless.executor.cli;

import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.MintedToken;
import dev.keyless.executor.cloud.VaultClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code executor vault login}: a Vault token from Vault's JWT auth method, for the job's later steps. */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Inside a job: logs in to Vault's JWT auth method (POST /v1/auth/MOUNT/login) with a fresh "
                    + "token of the job, and prints the Vault token as export lines (eval \"$(executor vault login "
                    + "--role R)\") or, with --token-only, alone. The Vault token is masked in the job's output from then on."
        })
public final class VaultLoginCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--role", paramLabel = "ROLE", required = true, description = "The JWT auth method's role.")
    String role;

    @Option(
            names = "--mount",
            paramLabel = "PATH",
            defaultValue = "jwt",
            description = "Where the JWT auth method is mounted (default: ${DEFAULT-VALUE}).")
    String mount;

    @Option(
            names = "--address",
            paramLabel = "URL",
            descriptionKey = "VAULT_ADDR",
            description = "Vault's address (default: $VAULT_ADDR).")
    String address;

    @Option(
            names = "--namespace",
            paramLabel = "NS",
            descriptionKey = "VAULT_NAMESPACE",
            description = "Vault Enterprise namespace (default: $VAULT_NAMESPACE, else none).")
    String namespace;

    @Option(
            names = "--audience",
            paramLabel = "AUD",
            defaultValue = "vault",
            description = "aud of the token, one of the role's bound_audiences (default: ${DEFAULT-VALUE}).")
    String audience;

    @Option(names = "--token-only", description = "Print the Vault token alone instead of export lines.")
    boolean tokenOnly;

    VaultLoginCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, IOException, InterruptedException, ApiException {
        String vault = RunCommand.required(address, "--address", "VAULT_ADDR");
        if (!vault.startsWith("https://") && !vault.startsWith("http://")) {
            throw new UsageException("--address must be an http(s) URL");
        }
        if (!VaultClient.MOUNT.matcher(mount).matches()) {
            throw new UsageException("--mount must be a path such as jwt or ci/jwt");
        }
        JobContext job = JobContext.from(io);
        // used once, right now: the shortest lifetime the issuer grants
        MintedToken token = job.mint(io, audience, 60);
        VaultClient.Login login = new VaultClient().login(vault, mount, role, token.token(), namespace);
        // before it is printed: the executor masks it in every later line of the job's output
        job.registry().addMask(login.clientToken());
        if (tokenOnly) {
            io.out().println(login.clientToken());
        } else {
            io.out().println(Exports.export("VAULT_ADDR", vault));
            io.out().println(Exports.export("VAULT_TOKEN", login.clientToken()));
            if (namespace != null) {
                io.out().println(Exports.export("VAULT_NAMESPACE", namespace));
            }
        }
        io.err()
                .println("executor: logged in to Vault at " + vault + " with role " + role + " (auth/" + mount
                        + "), policies " + login.policies() + ", lease " + login.leaseDurationSeconds() + " s"
                        + (login.renewable() ? ", renewable" : "")
                        + "; the Vault token is not renewed by the executor");
        io.err()
                .println("executor: on the Vault side: a JWT auth method at auth/" + mount + " with oidc_discovery_url "
                        + job.orgIssuer() + " and a role " + role + " with bound_audiences " + audience
                        + " and bound_claims on the namespaced claims (see deploy/examples/vault)");
        return 0;
    }
}
