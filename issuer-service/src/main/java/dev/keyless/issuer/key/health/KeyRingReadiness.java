package dev.keyless.issuer.key.health;

import dev.keyless.issuer.key.service.KeyManager;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the key ring is loaded and a key can sign. */
@Readiness
@ApplicationScoped
public class KeyRingReadiness implements HealthCheck {

    private final KeyManager keys;

    public KeyRingReadiness(KeyManager keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("key-ring").status(keys.ready()).build();
    }
}
