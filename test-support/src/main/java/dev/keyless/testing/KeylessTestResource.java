package dev.keyless.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a service under test at this JVM's {@link TestKeys}: admin tokens and job credentials minted by
 * {@link TestTokens} are then accepted, and forged ones refused.
 */
public class KeylessTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestKeys keys = TestKeys.get();
        return Map.of(
                "mp.jwt.verify.publickey.location", keys.adminPublicKeyPath().toUri().toString(),
                "keyless.job-credential.public-key-location", keys.jobCredentialPublicKeyPath().toUri().toString(),
                "smallrye.jwt.sign.key.location", keys.jobCredentialPrivateKeyPath().toUri().toString());
    }

    @Override
    public void stop() {
        // the key files are deleted when the test JVM exits
    }
}
