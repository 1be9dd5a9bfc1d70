package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verifies tokens as AWS STS, GCP or Vault would, knowing only the issuer URL: discovery, then {@code jwks_uri},
 * then the signature with the key named by {@code kid}, then {@code iss}, {@code aud}, {@code exp}.
 */
public final class RelyingParty {

    private final String issuer;
    private final JsonNode discovery;
    private final JWKSet keys;

    public RelyingParty(String issuer) {
        this.issuer = issuer;
        Http.Response discoveryResponse = Http.get(issuer + "/.well-known/openid-configuration", null);
        assertEquals(200, discoveryResponse.status(), () -> "discovery: " + discoveryResponse);
        this.discovery = discoveryResponse.json();
        assertEquals(issuer, discovery.path("issuer").asText(), "discovery issuer must be byte-identical to iss");
        String jwksUri = discovery.path("jwks_uri").asText();
        assertFalse(jwksUri.isEmpty(), "discovery names a jwks_uri");
        Http.Response jwksResponse = Http.get(jwksUri, null);
        assertEquals(200, jwksResponse.status(), () -> "JWKS: " + jwksResponse);
        try {
            this.keys = JWKSet.parse(jwksResponse.body());
        } catch (ParseException e) {
            throw new AssertionError("the JWKS does not parse: " + jwksResponse.body(), e);
        }
    }

    public JsonNode discovery() {
        return discovery;
    }

    public JWKSet keys() {
        return keys;
    }

    /** A verified token: the nimbus view and the raw JSON (to check types such as integer times). */
    public record Verified(JWSHeader header, JWTClaimsSet claims, JsonNode rawClaims, String token) {}

    /** Verifies signature, kid, typ, iss, aud, exp and nbf; fails the test when anything is off. */
    public Verified verify(String token, String audience) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            assertNotNull(header.getKeyID(), "the header names its key (kid)");
            JWK key = keys.getKeyByKeyId(header.getKeyID());
            assertNotNull(key, "the kid " + header.getKeyID() + " is published in the JWKS");
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                    Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    audience,
                    new JWTClaimsSet.Builder().issuer(issuer).build(),
                    Set.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti")));
            JWTClaimsSet claims = processor.process(jwt, null);
            JsonNode raw = Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            return new Verified(header, claims, raw, token);
        } catch (Exception e) {
            throw new AssertionError("the token does not verify against " + issuer + ": " + e.getMessage(), e);
        }
    }

    /** True when nimbus refuses the token (signature, issuer, audience or expiry). */
    public boolean refuses(String token, String audience) {
        try {
            verify(token, audience);
            return false;
        } catch (AssertionError e) {
            return true;
        }
    }

    /** DESIGN.md's discovery and JWKS rules. */
    public void assertPublishedCorrectly() {
        assertEquals(List.of("id_token"), strings(discovery.get("response_types_supported")));
        assertEquals(List.of("public"), strings(discovery.get("subject_types_supported")));
        assertEquals(List.of("openid"), strings(discovery.get("scopes_supported")));
        assertTrue(
                strings(discovery.get("id_token_signing_alg_values_supported")).contains("RS256"));
        assertTrue(discovery.path("claims_supported").isArray(), "claims_supported is listed");
        assertFalse(keys.getKeys().isEmpty(), "at least one published key");
        assertTrue(keys.getKeys().size() <= 10, "a handful of keys, never near 100");
        for (JWK key : keys.getKeys()) {
            assertNotNull(key.getKeyID(), "every key has a kid");
            assertNotNull(key.getAlgorithm(), "every key has an alg");
            assertEquals(KeyUse.SIGNATURE, key.getKeyUse(), "every key has use: sig");
            assertTrue(key.getKeyOperations() == null, "no key_ops");
            assertFalse(key.isPrivate(), "no private key material");
        }
    }

    private static List<String> strings(JsonNode array) {
        assertNotNull(array);
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
