package dev.keyless.executor.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies a token as a relying party does, given only the issuer URL: discovery, then {@code jwks_uri}, then
 * the signature with the key named by {@code kid}, then {@code iss}, {@code aud}, {@code exp} and {@code nbf}.
 */
public final class TokenVerifier {

    private final KeylessApi api;

    public TokenVerifier(KeylessApi api) {
        this.api = api;
    }

    public record Verified(String issuer, String jwksUri, Map<String, Object> header, Map<String, Object> claims) {}

    /** @param audience the expected {@code aud}, or null to accept any */
    public Verified verify(String issuer, String audience, String token)
            throws IOException, InterruptedException, ApiException, VerificationException {
        String trimmedIssuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode discovery = KeylessApi.JSON.readTree(
                api.getPublic(URI.create(trimmedIssuer + "/.well-known/openid-configuration")));
        if (!issuer.equals(discovery.path("issuer").asText())) {
            throw new VerificationException(
                    "discovery names issuer '" + discovery.path("issuer").asText() + "', not '" + issuer + "'");
        }
        String jwksUri = discovery.path("jwks_uri").asText("");
        if (jwksUri.isEmpty()) {
            throw new VerificationException("discovery has no jwks_uri");
        }
        try {
            JWKSet keys = JWKSet.parse(api.getPublic(URI.create(jwksUri)));
            SignedJWT jwt = SignedJWT.parse(token);
            if (jwt.getHeader().getKeyID() == null) {
                throw new VerificationException("the token's header has no kid");
            }
            if (keys.getKeyByKeyId(jwt.getHeader().getKeyID()) == null) {
                throw new VerificationException("kid " + jwt.getHeader().getKeyID() + " is not in the JWKS");
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                    Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    audience,
                    new JWTClaimsSet.Builder().issuer(issuer).build(),
                    Set.of("sub", "aud", "iat", "exp", "jti")));
            JWTClaimsSet claims = processor.process(jwt, null);
            return new Verified(issuer, jwksUri, jwt.getHeader().toJSONObject(), readableOrder(claims.toJSONObject()));
        } catch (ParseException e) {
            throw new VerificationException("not a valid JWT or JWKS: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new VerificationException(e.getMessage());
        }
    }

    /** The registered claims first, in the usual order, then the others by name. */
    private static Map<String, Object> readableOrder(Map<String, Object> claims) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : List.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti")) {
            if (claims.containsKey(name)) {
                ordered.put(name, claims.get(name));
            }
        }
        new TreeMap<>(claims).forEach(ordered::putIfAbsent);
        return ordered;
    }

    /** The token is not valid for this issuer (and audience). */
    public static final class VerificationException extends Exception {
        public VerificationException(String message) {
            super(message);
        }
    }
}
