package dev.keyless.scheduler.support;

import dev.keyless.testing.TestKeys;
import dev.keyless.testing.TestTokens;

import java.util.UUID;

/**
 * Hostile tokens as plain strings. Test classes call these rather than {@code TestTokens.Builder} directly: a test
 * class is loaded by two class loaders under {@code @QuarkusTest}, and a builder type in its bytecode makes the
 * JVM's loader constraints fail.
 */
public final class HostileTokens {

    private HostileTokens() {}

    public static String expiredAdmin() {
        return TestTokens.adminClaims("platform-admin", null).expired().sign();
    }

    public static String strangerSignedAdmin() {
        return TestTokens.adminClaims("platform-admin", null).signedByStranger().sign();
    }

    public static String adminWith(String claim, Object value) {
        return TestTokens.adminClaims("platform-admin", null)
                .claim(claim, value)
                .sign();
    }

    public static String unsignedAdmin() {
        return TestTokens.adminClaims("platform-admin", null).unsigned();
    }

    public static String hs256Admin() {
        return TestTokens.adminClaims("platform-admin", null)
                .hs256WithPublicKey(TestKeys.get().admin().getPublic().getEncoded());
    }

    public static String expiredJobCredential(UUID jobId, UUID orgId) {
        return TestTokens.jobCredentialClaims(jobId, orgId).expired().sign();
    }

    public static String strangerSignedJobCredential(UUID jobId, UUID orgId) {
        return TestTokens.jobCredentialClaims(jobId, orgId).signedByStranger().sign();
    }

    public static String jobCredentialWith(UUID jobId, UUID orgId, String claim, Object value) {
        return TestTokens.jobCredentialClaims(jobId, orgId).claim(claim, value).sign();
    }
}
