package dev.keyless.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a service under test at this JVM's {@link TestKeys}: admin tokens and job credentials minted by
 * {@link TestTokens} are then accepted, and forged ones refused. Starts the {@link TestInfrastructure} too.
 */
public class KeylessTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestKeys keys = TestKeys.get();
        Map<String, String> properties = new HashMap<>(TestInfrastructure.properties());
        properties.put(
                "mp.jwt.verify.publickey.location",
                keys.adminPublicKeyPath().toUri().toString());
        properties.put(
                "keyless.job-credential.public-key-location",
                keys.jobCredentialPublicKeyPath().toUri().toString());
        properties.put(
                "smallrye.jwt.sign.key.location",
                keys.jobCredentialPrivateKeyPath().toUri().toString());
        return properties;
    }

    @Override
    public void stop() {
        // the key files are deleted when the test JVM exits
    }
}
