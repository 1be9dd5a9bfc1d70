package dev.keyless.operator.health;

import dev.keyless.operator.OperatorRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the controller runs and watches the API server; down while an informer cannot watch. */
@Readiness
@ApplicationScoped
public class OperatorReadiness implements HealthCheck {

    private final OperatorRuntime runtime;

    public OperatorReadiness(OperatorRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("runner-pool-controller")
                .status(runtime.healthy())
                .build();
    }
}
