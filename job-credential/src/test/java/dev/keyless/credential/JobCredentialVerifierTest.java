package dev.keyless.credential;

import dev.keyless.testing.TestKeys;
import dev.keyless.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobCredentialVerifierTest {

    private final UUID job = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();
    private final JobCredentialVerifier verifier = new JobCredentialVerifier(new JobCredentialConfig() {
        @Override
        public String publicKeyLocation() {
            return TestKeys.get().jobCredentialPublicKeyPath().toString();
        }

        @Override
        public String issuer() {
            return JobCredentialClaims.ISSUER;
        }

        @Override
        public String audience() {
            return JobCredentialClaims.AUDIENCE;
        }

        @Override
        public int clockSkewSeconds() {
            return 5;
        }
    });

    private InvalidJobCredentialException refused(String token) {
        return assertThrows(InvalidJobCredentialException.class, () -> verifier.verify("Bearer " + token, job));
    }

    @Test
    void validCredentialForTheJobYieldsItsJobAndOrg() {
        JobCredential credential = verifier.verify("Bearer " + TestTokens.jobCredential(job, org), job);
        assertEquals(job, credential.jobId());
        assertEquals(org, credential.orgId());
        assertTrue(credential.expiresAt().isAfter(Instant.now()));
    }

    @Test
    void credentialOfAnotherJobIsForbidden() {
        InvalidJobCredentialException e = assertThrows(
                InvalidJobCredentialException.class,
                () -> verifier.verify("Bearer " + TestTokens.jobCredential(UUID.randomUUID(), org), job));
        assertTrue(e.forbidden());
    }

    @Test
    void missingOrNonBearerCredentialIsRefused() {
        assertThrows(InvalidJobCredentialException.class, () -> verifier.verify(null, job));
        assertThrows(InvalidJobCredentialException.class, () -> verifier.verify("Basic abc", job));
        assertThrows(InvalidJobCredentialException.class, () -> verifier.verify("Bearer not-a-jwt", job));
    }

    @Test
    void expiredCredentialIsRefused() {
        assertFalse(refused(TestTokens.jobCredentialClaims(job, org).expired().sign())
                .forbidden());
    }

    @Test
    void notYetValidCredentialIsRefused() {
        refused(TestTokens.jobCredentialClaims(job, org)
                .notBefore(Instant.now().plus(Duration.ofHours(1)))
                .sign());
    }

    @Test
    void tamperedCredentialIsRefused() {
        refused(TestTokens.tamper(TestTokens.jobCredential(job, org)));
    }

    @Test
    void credentialSignedByAnUntrustedKeyIsRefused() {
        refused(TestTokens.jobCredentialClaims(job, org).signedByStranger().sign());
    }

    @Test
    void unsignedCredentialIsRefused() {
        refused(TestTokens.jobCredentialClaims(job, org).unsigned());
    }

    @Test
    void hs256CredentialKeyedWithThePublicKeyIsRefused() {
        refused(TestTokens.jobCredentialClaims(job, org)
                .hs256WithPublicKey(TestKeys.get().jobCredential().getPublic().getEncoded()));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        refused(TestTokens.jobCredentialClaims(job, org)
                .claim("iss", "someone-else")
                .sign());
        refused(TestTokens.jobCredentialClaims(job, org)
                .claim("aud", "keyless-api")
                .sign());
    }

    @Test
    void adminTokenIsNotAJobCredential() {
        refused(TestTokens.orgAdmin(org));
    }

    @Test
    void subjectThatDisagreesWithJobIdIsRefused() {
        refused(TestTokens.jobCredentialClaims(job, org)
                .claim("sub", "job/" + UUID.randomUUID())
                .sign());
    }

    @Test
    void credentialWithoutAnIdIsRefusedBecauseItCouldNotBeRevoked() {
        refused(TestTokens.jobCredentialClaims(job, org).claim("jti", null).sign());
        refused(TestTokens.jobCredentialClaims(job, org).claim("jti", " ").sign());
    }
}
