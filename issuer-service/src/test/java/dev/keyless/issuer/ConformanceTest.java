package dev.keyless.issuer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What relying parties (AWS STS, GCP STS, Vault) check, with two independent verifiers that get nothing but the
 * issuer URL: nimbus-jose-jwt and jose4j. The test profile publishes keys 2 s ahead with a JWKS max-age of 1 s.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(ContextServiceContractStub.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> DISCOVERY_FIELDS = Set.of(
            "issuer",
            "jwks_uri",
            "id_token_signing_alg_values_supported",
            "response_types_supported",
            "subject_types_supported",
            "scopes_supported",
            "claims_supported");

    /** Discovery as a relying party reads it: from {@code {issuer}/.well-known/openid-configuration}. */
    private static Map<String, Object> discover(String issuer) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        @SuppressWarnings("unchecked")
        Map<String, Object> document = JSON.readValue(response.body(), Map.class);
        assertEquals(DISCOVERY_FIELDS, document.keySet());
        assertEquals(issuer, document.get("issuer"), "issuer must be byte-identical to the issuer URL");
        assertEquals(List.of("id_token"), document.get("response_types_supported"));
        assertEquals(List.of("public"), document.get("subject_types_supported"));
        assertEquals(List.of("openid"), document.get("scopes_supported"));
        return document;
    }

    private static String jwksUri(String issuer) throws IOException, InterruptedException {
        return (String) discover(issuer).get("jwks_uri");
    }

    private static DefaultJWTProcessor<SecurityContext> nimbus(
            JWKSource<SecurityContext> keys, String issuer, String audience) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "iat", "exp", "nbf", "jti")));
        return processor;
    }

    /** nimbus fetching and caching the JWKS from discovery's jwks_uri (cache time-to-live as given). */
    private static DefaultJWTProcessor<SecurityContext> nimbusFromIssuer(String issuer, String audience, long ttlMillis)
            throws Exception {
        JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(new URL(jwksUri(issuer)))
                .cache(ttlMillis, Math.min(5_000, ttlMillis / 2))
                .refreshAheadCache(false)
                .rateLimited(false)
                .retrying(false)
                .outageTolerant(false)
                .build();
        return nimbus(source, issuer, audience);
    }

    private static JwtConsumer jose4j(VerificationKeyResolver keys, String issuer, String audience) {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setRequireNotBefore()
                .setExpectedIssuer(true, issuer)
                .setExpectedAudience(audience)
                .setVerificationKeyResolver(keys)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256", "ES256")
                .build();
    }

    private static JwtConsumer jose4jFromIssuer(String issuer, String audience) throws Exception {
        return jose4j(new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUri(issuer))), issuer, audience);
    }

    /** Everything AWS STS and GCP STS look at besides the signature. */
    private static void assertRelyingPartyLimits(String token) throws Exception {
        assertTrue(token.length() < 20_000);
        SignedJWT jwt = SignedJWT.parse(token);
        assertTrue(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256)
                .contains(jwt.getHeader().getAlgorithm()));
        assertTrue(jwt.getHeader().getKeyID() != null
                && !jwt.getHeader().getKeyID().isBlank());
        Map<String, Object> claims = JwtParts.claims(token);
        assertTrue(claims.get("iat") instanceof Integer && claims.get("exp") instanceof Integer, "integer iat/exp");
        assertTrue((Integer) claims.get("exp") - (Integer) claims.get("iat") < 48 * 3600);
        assertTrue(claims.get("aud") instanceof String, "one aud string");
    }

    private static void assertJwksHasNoPrivateOrKeyOps(String jwksUri) throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(URI.create(jwksUri)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        JWKSet set = JWKSet.parse(body);
        assertFalse(set.getKeys().isEmpty());
        assertTrue(set.getKeys().size() < 10);
        set.getKeys().forEach(key -> {
            assertFalse(key.isPrivate(), "private parts published for " + key.getKeyID());
            assertTrue(key.getKeyOperations() == null, "key_ops published for " + key.getKeyID());
            assertTrue(key.getKeyID() != null
                    && key.getAlgorithm() != null
                    && "sig".equals(key.getKeyUse().identifier()));
        });
        JsonWebKeySet jose4jSet = new JsonWebKeySet(body);
        assertEquals(set.getKeys().size(), jose4jSet.getJsonWebKeys().size());
    }

    private static List<String> jobTokens(TestJobs.Job job) {
        var pull = TestJobs.resolvedJobTokens(job);
        return List.of(pull.jsonPath().getString("v1"), pull.jsonPath().getString("v2"));
    }

    @Test
    @Order(1)
    void bothVerifiersAcceptJobTokensGivenOnlyTheIssuerUrl() throws Exception {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        String issuer = TestJobs.issuer(job.orgId());
        String audience = job.orgId().toString();
        assertJwksHasNoPrivateOrKeyOps(jwksUri(issuer));
        DefaultJWTProcessor<SecurityContext> nimbus = nimbusFromIssuer(issuer, audience, 60_000);
        JwtConsumer jose4j = jose4jFromIssuer(issuer, audience);
        for (String token : jobTokens(job)) {
            assertRelyingPartyLimits(token);
            JWTClaimsSet claims = nimbus.process(token, null);
            assertEquals(issuer, claims.getIssuer());
            assertEquals(List.of(audience), claims.getAudience());
            JwtClaims verified = jose4j.processToClaims(token);
            assertEquals(claims.getJWTID(), verified.getJwtId());
        }
    }

    @Test
    @Order(2)
    void verifiersRejectTokensForAnotherIssuerOrAudience() throws Exception {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        String token = jobTokens(job).get(0);
        String otherIssuer = TestJobs.issuer(UUID.randomUUID());
        assertThrows(
                Exception.class, () -> nimbusFromIssuer(otherIssuer, job.orgId().toString(), 60_000)
                        .process(token, null));
        assertThrows(
                InvalidJwtException.class,
                () -> jose4jFromIssuer(otherIssuer, job.orgId().toString()).processToClaims(token));
        String issuer = TestJobs.issuer(job.orgId());
        assertThrows(Exception.class, () -> nimbusFromIssuer(issuer, "sts.amazonaws.com", 60_000)
                .process(token, null));
        assertThrows(InvalidJwtException.class, () -> jose4jFromIssuer(issuer, "sts.amazonaws.com")
                .processToClaims(token));
        assertThrows(Exception.class, () -> nimbusFromIssuer(issuer, job.orgId().toString(), 60_000)
                .process(TestTokens.tamper(token), null));
    }

    @Test
    @Order(3)
    void onDemandTokensVerifyForTheirAudience() throws Exception {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        jobTokens(job);
        String token = given().header("Authorization", "Bearer " + job.credential())
                .contentType("application/json")
                .body(Map.of("audience", "sts.amazonaws.com", "ttl_seconds", 900))
                .post("/api/v1/jobs/{jobId}/oidc-tokens", job.jobId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("token");
        String issuer = TestJobs.issuer(job.orgId());
        assertRelyingPartyLimits(token);
        nimbusFromIssuer(issuer, "sts.amazonaws.com", 60_000).process(token, null);
        jose4jFromIssuer(issuer, "sts.amazonaws.com").processToClaims(token);
    }

    @Test
    @Order(4)
    void verifierThatCachedTheJwksBeforeARotationVerifiesTokensSignedAfterIt() throws Exception {
        UUID org = UUID.randomUUID();
        String issuer = TestJobs.issuer(org);
        String oldKid = SignedJWT.parse(jobTokens(TestJobs.newJob(org, 1)).get(0))
                .getHeader()
                .getKeyID();

        String newKid = given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                .post("/api/v1/admin/keys/rotate")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("kid");

        // the relying party's cache, taken now and never refreshed: the new key is already in it
        String cachedJwks = HTTP.send(
                        HttpRequest.newBuilder(URI.create(jwksUri(issuer))).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        JWKSet snapshot = JWKSet.parse(cachedJwks);
        assertTrue(snapshot.getKeyByKeyId(newKid) != null, "a new key is published before it signs");
        DefaultJWTProcessor<SecurityContext> nimbus = nimbus(new ImmutableJWKSet<>(snapshot), issuer, org.toString());
        JwtConsumer jose4j = jose4j(
                new JwksVerificationKeyResolver(new JsonWebKeySet(cachedJwks).getJsonWebKeys()),
                issuer,
                org.toString());

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> newKid.equals(
                        SignedJWT.parse(jobTokens(TestJobs.newJob(org, 1)).get(0))
                                .getHeader()
                                .getKeyID()));
        List<String> afterRotation = jobTokens(TestJobs.newJob(org, 1));
        for (String token : afterRotation) {
            assertEquals(newKid, SignedJWT.parse(token).getHeader().getKeyID());
            nimbus.process(token, null);
            jose4j.processToClaims(token);
        }
        assertTrue(
                JWKSet.parse(HTTP.send(
                                                HttpRequest.newBuilder(URI.create(jwksUri(issuer)))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body())
                                .getKeyByKeyId(oldKid)
                        != null,
                "the retired key stays published while its tokens live");
    }

    @Test
    @Order(5)
    void afterARevokeAndCacheExpiryTokensOfTheRevokedKeyFailAndJobsGetFreshTokens() throws Exception {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        String issuer = TestJobs.issuer(job.orgId());
        String audience = job.orgId().toString();
        String token = jobTokens(job).get(0);
        String revokedKid = SignedJWT.parse(token).getHeader().getKeyID();
        DefaultJWTProcessor<SecurityContext> nimbus = nimbusFromIssuer(issuer, audience, 1_000);
        JwtConsumer jose4j = jose4jFromIssuer(issuer, audience);
        nimbus.process(token, null);
        jose4j.processToClaims(token);

        given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                .post("/api/v1/admin/keys/{kid}/revoke", revokedKid)
                .then()
                .statusCode(200)
                .body("state", Matchers.equalTo("revoked"));
        assertTrue(
                JWKSet.parse(HTTP.send(
                                                HttpRequest.newBuilder(URI.create(jwksUri(issuer)))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body())
                                .getKeyByKeyId(revokedKid)
                        == null,
                "a revoked key leaves the JWKS at once");

        // deliberately lets time pass: the relying parties' JWKS cache (max-age 1 s) expires
        Thread.sleep(1_500);
        assertThrows(Exception.class, () -> nimbus.process(token, null));
        assertThrows(InvalidJwtException.class, () -> jose4j.processToClaims(token));

        String fresh = TestJobs.pullTokens(job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("v1");
        assertNotEquals(revokedKid, SignedJWT.parse(fresh).getHeader().getKeyID());
        nimbusFromIssuer(issuer, audience, 1_000).process(fresh, null);
        jose4jFromIssuer(issuer, audience).processToClaims(fresh);
    }
}
