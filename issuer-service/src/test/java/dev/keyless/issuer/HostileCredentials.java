package dev.keyless.issuer;

import dev.keyless.testing.TestKeys;
import dev.keyless.testing.TestTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Job credentials that name the right job but must all be refused (401). */
final class HostileCredentials {

    private HostileCredentials() {}

    static List<String> forJob(TestJobs.Job job) {
        byte[] publicKey = TestKeys.get().jobCredential().getPublic().getEncoded();
        return List.of(
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId()).unsigned(),
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId()).hs256WithPublicKey(publicKey),
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                        .header("kid", "unknown-kid")
                        .signedByStranger()
                        .sign(),
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                        .expired()
                        .sign(),
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                        .notBefore(Instant.now().plus(Duration.ofHours(1)))
                        .sign(),
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                        .claim("aud", "keyless-api")
                        .sign(),
                TestTokens.jobCredentialClaims(job.jobId(), job.orgId())
                        .claim("iss", "keyless-admin")
                        .sign(),
                TestTokens.tamper(job.credential()));
    }

    /** Admin tokens with full rights on paper, each broken in one way. */
    static List<String> platformAdminForgeries() {
        byte[] publicKey = TestKeys.get().admin().getPublic().getEncoded();
        return List.of(
                TestTokens.adminClaims("platform-admin", null).unsigned(),
                TestTokens.adminClaims("platform-admin", null).hs256WithPublicKey(publicKey),
                TestTokens.adminClaims("platform-admin", null)
                        .header("kid", "unknown-kid")
                        .signedByStranger()
                        .sign(),
                TestTokens.adminClaims("platform-admin", null).expired().sign(),
                TestTokens.adminClaims("platform-admin", null)
                        .notBefore(Instant.now().plus(Duration.ofHours(1)))
                        .sign(),
                TestTokens.adminClaims("platform-admin", null)
                        .claim("aud", "keyless-executor")
                        .sign(),
                TestTokens.adminClaims("platform-admin", null)
                        .claim("iss", "keyless-scheduler")
                        .sign(),
                TestTokens.tamper(TestTokens.platformAdmin()));
    }
}
