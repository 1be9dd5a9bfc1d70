package dev.keyless.executor.oidc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.cli.Arguments;
import dev.keyless.executor.cli.UsageException;
import dev.keyless.trust.policy.IssuerIdentity;
import dev.keyless.trust.policy.PolicyFormatException;
import dev.keyless.trust.policy.PolicyKind;
import dev.keyless.trust.policy.PolicySimulator;
import dev.keyless.trust.policy.Simulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
public final class SimulateCommand {

    public static final int DENIED = 2;
    private static final Pattern ISSUER = Pattern.compile(".*/org/([0-9a-f-]{36})/?");
    private static final PolicySimulator SIMULATOR = new PolicySimulator();

    private SimulateCommand() {
    }

    /**
     * @param onDemand mints an on-demand token for {@code --audience} (the caller owns the job credential)
     */
    public static int run(List<String> args, Map<String, String> env, OnDemandMinter onDemand)
            throws UsageException, IOException, ApiException, InterruptedException {
        Arguments arguments = Arguments.parse(args, Set.of("policy", "type", "token-variable", "audience", "issuer"), Set.of(),
                env);
        JsonNode policy;
        String file = arguments.required("policy", null);
        try {
            policy = KeylessApi.JSON.readTree(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UsageException("cannot read the policy " + file + ": " + e.getMessage());
        }
        String token = arguments.optional("audience", null).isPresent()
                ? onDemand.mint(arguments.required("issuer", "KEYLESS_ISSUER_URL"), arguments.required("audience", null))
                : arguments.requiredEnvironment(arguments.optional("token-variable", null)
                        .orElse("CIRCLE_OIDC_TOKEN_V2"));
        Map<String, Object> claims = claims(token);
        PolicyKind kind = arguments.optional("type", null).isPresent()
                ? kind(() -> PolicyKind.parse(arguments.optional("type", null).orElse(null))) : detect(policy);
        Simulation result;
        try {
            result = SIMULATOR.simulate(kind, policy, claims, identity(claims));
        } catch (PolicyFormatException e) {
            throw new UsageException("policy: " + e.getMessage());
        }
        System.out.println(KeylessApi.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(result));
        return result.allowed() ? 0 : DENIED;
    }

    /** Mints an on-demand token of the running job. */
    @FunctionalInterface
    public interface OnDemandMinter {
        String mint(String issuer, String audience) throws UsageException, IOException, ApiException, InterruptedException;
    }

    /** The token's claims as a relying party decodes them (its signature is the issuer's business, not ours). */
    static Map<String, Object> claims(String token) throws UsageException {
        String[] parts = token.strip().split("\\.");
        if (parts.length != 3) {
            throw new UsageException("the job's token is not a JWT");
        }
        try {
            return KeylessApi.JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() {
            });
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
        String namespace = claims.keySet().stream().filter(k -> k.endsWith("/project-id"))
                .map(k -> k.substring(0, k.length() - "/project-id".length())).findFirst()
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
