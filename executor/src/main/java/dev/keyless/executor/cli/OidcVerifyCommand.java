package dev.keyless.executor.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.oidc.TokenVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code executor oidc verify}: checks a token as a relying party does, knowing only the issuer URL. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Verifies TOKEN as a relying party would: discovery, JWKS, signature, iss, aud, exp, nbf.",
            "Prints {verified, issuer, jwks_uri, header, claims} as JSON; exits 1 with the reason otherwise."
        })
public final class OidcVerifyCommand implements Callable<Integer> {

    private final Io io;

    @Option(
            names = "--issuer",
            paramLabel = "ISSUER_URL",
            required = true,
            description = "The org's issuer, {issuer-service}/org/{orgId}.")
    String issuer;

    @Option(names = "--audience", paramLabel = "AUD", description = "The aud the token must have (default: any).")
    String audience;

    @Parameters(paramLabel = "TOKEN", arity = "1", description = "The token to verify.")
    String token;

    OidcVerifyCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException, InterruptedException, ApiException, TokenVerifier.VerificationException {
        TokenVerifier.Verified verified = new TokenVerifier(new KeylessApi()).verify(issuer, audience, token);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("verified", true);
        result.put("issuer", verified.issuer());
        result.put("jwks_uri", verified.jwksUri());
        result.put("header", verified.header());
        result.put("claims", verified.claims());
        io.out()
                .println(KeylessApi.JSON
                        .copy()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(result));
        return 0;
    }
}
