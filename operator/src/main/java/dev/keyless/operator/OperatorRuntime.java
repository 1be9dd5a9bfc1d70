package dev.keyless.operator;

import dev.keyless.operator.config.OperatorConfig;
import dev.keyless.operator.pool.controller.RunnerPoolReconciler;
import dev.keyless.operator.pool.service.Pools;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Starts the Java Operator SDK with the runner-pool controller when the application starts, watching one namespace
 * (its Role grants no more), and stops it gracefully: first no pool claims any more (claims in flight get their
 * Pods), then the controller stops. Job Pods keep running meanwhile; the next operator adopts them.
 */
@ApplicationScoped
public class OperatorRuntime {

    private static final Logger LOG = Logger.getLogger(OperatorRuntime.class);

    private final KubernetesClient client;
    private final RunnerPoolReconciler reconciler;
    private final Pools pools;
    private final OperatorConfig config;
    private volatile Operator operator;

    public OperatorRuntime(
            KubernetesClient client, RunnerPoolReconciler reconciler, Pools pools, OperatorConfig config) {
        this.client = client;
        this.reconciler = reconciler;
        this.pools = pools;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        String namespace = config.namespace().orElse(client.getNamespace());
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalStateException("no namespace to watch: set keyless.operator.namespace");
        }
        Operator started = new Operator(overrider -> overrider
                .withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // the CRD is installed by deploy/kubernetes; the operator's Role cannot read CRDs
                .checkingCRDAndValidateLocalModel(false)
                // the pool's finalizer is added by an optimistic-locked update rather than a server-side apply,
                // which every API server (and the fabric8 mock server the tests use) supports
                .withUseSSAToPatchPrimaryResource(false));
        started.register(reconciler, controller -> controller.settingNamespace(namespace));
        started.start();
        operator = started;
        LOG.infof("watching RunnerPools in namespace %s", namespace);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        pools.stopAll();
        Operator running = operator;
        if (running != null) {
            running.stop();
        }
    }

    /** Whether the controller runs and its informers are in sync with the API server. */
    public boolean healthy() {
        Operator running = operator;
        return running != null
                && running.getRuntimeInfo().isStarted()
                && running.getRuntimeInfo().allEventSourcesAreHealthy();
    }
}
