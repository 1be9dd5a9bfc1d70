package dev.keyless.operator.pool.service;

import dev.keyless.operator.config.OperatorConfig;
import dev.keyless.operator.pool.model.RunnerPool;
import dev.keyless.operator.scheduler.SchedulerClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The claim loop of every pool this operator runs. */
@ApplicationScoped
public class Pools {

    private final Map<String, PoolWorker> workers = new ConcurrentHashMap<>();
    private final KubernetesClient client;
    private final SchedulerClient scheduler;
    private final JobPods jobPods;
    private final PoolStatusWriter statusWriter;
    private final OperatorConfig config;
    private final MeterRegistry meters;
    private volatile boolean stopping;

    public Pools(
            KubernetesClient client,
            SchedulerClient scheduler,
            JobPods jobPods,
            PoolStatusWriter statusWriter,
            OperatorConfig config,
            MeterRegistry meters) {
        this.client = client;
        this.scheduler = scheduler;
        this.jobPods = jobPods;
        this.statusWriter = statusWriter;
        this.config = config;
        this.meters = meters;
    }

    /** The pool's worker, started on first sight and given the pool's newest spec; null once stopping. */
    public PoolWorker ensure(RunnerPool pool) {
        if (stopping) {
            return null;
        }
        PoolWorker worker = workers.computeIfAbsent(key(pool), key -> {
            PoolWorker created = new PoolWorker(pool, client, scheduler, jobPods, statusWriter, config, meters);
            created.start();
            return created;
        });
        worker.update(pool);
        return worker;
    }

    /** Stops the pool's claim loop (waiting for a claim in flight to get its Pod). */
    public void stop(RunnerPool pool) throws InterruptedException {
        PoolWorker worker = workers.remove(key(pool));
        if (worker != null) {
            worker.stop();
        }
    }

    /** On shutdown: no pool claims any more; claims in flight get their Pods. */
    public void stopAll() throws InterruptedException {
        stopping = true;
        List<PoolWorker> all = new ArrayList<>(workers.values());
        workers.clear();
        for (PoolWorker worker : all) {
            worker.stop();
        }
    }

    private static String key(RunnerPool pool) {
        return pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
    }
}
