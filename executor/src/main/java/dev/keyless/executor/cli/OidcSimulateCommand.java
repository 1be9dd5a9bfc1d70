package dev.keyless.executor.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.trust.policy.IssuerIdentity;
import dev.keyless.trust.policy.PolicyFormatException;
import dev.keyless.trust.policy.PolicyKind;
import dev.keyless.trust.policy.PolicySimulator;
import dev.keyless.trust.policy.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code executor oidc simulate --policy FILE [--type aws|gcp|vault] [--token-variable NAME] [--audience AUD]}, inside a job: would
 * this relying-party policy accept the job's real token? Reads the token the job received (by default
 * {@code CIRCLE_OIDC_TOKEN_V2}), or, with {@code --audience}, the claims of an on-demand token minted for that
 * audience; evaluates offline with the simulator issuer-service uses. Prints the result as JSON; exits 0 when
 * allowed and {@link #DENIED} when denied.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Inside a job: would this relying-party policy (AWS trust policy, GCP provider, Vault role)",
            "accept the job's real token? Prints every condition with its outcome and lint findings as JSON;",
            "exits 0 when allowed, 2 when denied."
        })
public final class OidcSimulateCommand implements Callable<Integer> {

    public static final int DENIED = 2;
    private static final Pattern ISSUER = Pattern.compile(".*/org/([0-9a-f-]{36})/?");
    private static final PolicySimulator SIMULATOR = new PolicySimulator();

    private final Io io;

    @Option(names = "--policy", paramLabel = "FILE", required = true, description = "The policy, as JSON.")
    Path policyFile;

    @Option(
            names = "--type",
            paramLabel = "aws|gcp|vault",
            description = "The policy's kind (default: told by its shape).")
    String type;

    @Option(
            names = "--token-variable",
            paramLabel = "NAME",
            defaultValue = "CIRCLE_OIDC_TOKEN_V2",
            description = "The variable holding the job's token to check (default: ${DEFAULT-VALUE}).")
    String tokenVariable;

    @Option(
            names = "--audience",
            paramLabel = "AUD",
            description = "Check an on-demand token minted for this audience instead.")
    String audience;

    @Option(
            names = "--issuer",
            paramLabel = "URL",
            descriptionKey = "KEYLESS_ISSUER_URL",
            description = "issuer-service's URL, for --audience (default: $KEYLESS_ISSUER_URL).")
    String issuer;

    public OidcSimulateCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, IOException, ApiException, InterruptedException {
        JsonNode policy;
        try {
            policy = KeylessApi.JSON.readTree(Files.readString(policyFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UsageException("cannot read the policy " + policyFile + ": " + e.getMessage());
        }
        String token = audience != null
                ? new KeylessApi()
                        .mintToken(requiredIssuer(), JobContext.jobId(io), JobContext.credential(io), audience, null)
                        .token()
                : io.requiredVariable(tokenVariable);
        Map<String, Object> claims = claims(token);
        PolicyKind kind = type != null ? kind(() -> PolicyKind.parse(type)) : detect(policy);
        Simulation result;
        try {
            result = SIMULATOR.simulate(kind, policy, claims, identity(claims));
        } catch (PolicyFormatException e) {
            throw new UsageException("policy: " + e.getMessage());
        }
        io.out()
                .println(KeylessApi.JSON
                        .copy()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(result));
        return result.allowed() ? 0 : DENIED;
    }

    private String requiredIssuer() throws UsageException {
        if (issuer == null || issuer.isBlank()) {
            throw new UsageException("--issuer is required with --audience (or set KEYLESS_ISSUER_URL)");
        }
        return issuer;
    }

    /** The token's claims as a relying party decodes them (its signature is the issuer's business, not ours). */
    static Map<String, Object> claims(String token) throws UsageException {
        String[] parts = token.strip().split("\\.");
        if (parts.length != 3) {
            throw new UsageException("the job's token is not a JWT");
        }
        try {
            return KeylessApi.JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() {});
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("the job's token has unreadable claims");
        }
    }

    /** The org and claim namespace, read from the token itself: its {@code iss} and its namespaced claims. */
    static IssuerIdentity identity(Map<String, Object> claims) throws UsageException {
        String iss = String.valueOf(claims.get("iss"));
        Matcher matcher = ISSUER.matcher(iss);
        if (!matcher.matches()) {
            throw new UsageException("the token's iss is not a Keyless issuer: " + iss);
        }
        String namespace = claims.keySet().stream()
                .filter(k -> k.endsWith("/project-id"))
                .map(k -> k.substring(0, k.length() - "/project-id".length()))
                .findFirst()
                .orElseThrow(() -> new UsageException("the token has no namespaced project-id claim"));
        String sub = String.valueOf(claims.get("sub"));
        return new IssuerIdentity(iss, UUID.fromString(matcher.group(1)), namespace, sub.startsWith("org/"));
    }

    /** The policy's shape tells its relying party. */
    static PolicyKind detect(JsonNode policy) throws UsageException {
        if (policy.has("Statement")) {
            return PolicyKind.AWS;
        }
        if (policy.has("attributeMapping") || policy.has("oidc")) {
            return PolicyKind.GCP;
        }
        if (policy.has("user_claim") || policy.has("data") || policy.has("bound_audiences")) {
            return PolicyKind.VAULT;
        }
        throw new UsageException("cannot tell the policy's kind; give --type aws, gcp or vault");
    }

    private static PolicyKind kind(Supplier<PolicyKind> parse) throws UsageException {
        try {
            return parse.get();
        } catch (PolicyFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
