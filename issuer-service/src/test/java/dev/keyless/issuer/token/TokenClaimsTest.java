package dev.keyless.issuer.token;

import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.token.mint.JobClaimData;
import dev.keyless.issuer.token.mint.TokenClaims;
import dev.keyless.issuer.token.mint.TokenKind;
import dev.keyless.issuer.token.mint.TokenMinter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenClaimsTest {

    private static final JobClaimData JOB = new JobClaimData(
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            "github.com/acme/app",
            "refs/tags/v1.2.0",
            true,
            List.of(UUID.randomUUID()));

    @Test
    void v1SubjectFitsGcpsSubjectMapping() {
        String sub = TokenClaims.v1Subject(JOB);
        assertEquals("org/" + JOB.orgId() + "/project/" + JOB.projectId() + "/user/" + JOB.userId(), sub);
        assertTrue(sub.getBytes(StandardCharsets.UTF_8).length <= 127);
    }

    @Test
    void v2SubjectAddsOriginAndRef() {
        assertEquals(
                TokenClaims.v1Subject(JOB) + "/vcs-origin/github.com/acme/app/vcs-ref/refs/tags/v1.2.0",
                TokenClaims.v2Subject(JOB));
    }

    @Test
    void claimsUseTheConfiguredNamespaceAndIntegerTimes() {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        Map<String, Object> claims = new TokenClaims("oidc.example.com")
                .build(TokenKind.V2, JOB, "https://i/org/x", "aud", now, now.plusSeconds(3600), UUID.randomUUID());
        assertEquals(1_800_000_000L, claims.get("iat"));
        assertEquals(1_800_003_600L, claims.get("exp"));
        assertEquals(true, claims.get("oidc.example.com/ssh-rerun"));
        assertEquals(List.of(JOB.contextIds().get(0).toString()), claims.get("oidc.example.com/context-ids"));
    }

    @Test
    void mintedTokenIsACompactJwsThatVerifiesWithThePublicKey() throws Exception {
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            SigningKey key = SigningKey.generate("kid-" + algorithm, algorithm, 2048);
            Instant now = Instant.now();
            String token = new TokenMinter()
                    .mint(
                            key,
                            new TokenClaims("ns")
                                    .build(
                                            TokenKind.V1,
                                            JOB,
                                            "iss",
                                            "aud",
                                            now,
                                            now.plusSeconds(60),
                                            UUID.randomUUID()));
            String[] parts = token.split("\\.");
            assertEquals(3, parts.length);
            assertEquals(
                    "{\"alg\":\"" + algorithm + "\",\"kid\":\"kid-" + algorithm + "\",\"typ\":\"JWT\"}",
                    new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            Signature verifier = Signature.getInstance(algorithm.jcaName());
            verifier.initVerify(key.publicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));
            if (algorithm == SigningAlgorithm.ES256) {
                assertEquals(64, Base64.getUrlDecoder().decode(parts[2]).length, "JWS R||S, not DER");
            }
        }
    }
}
