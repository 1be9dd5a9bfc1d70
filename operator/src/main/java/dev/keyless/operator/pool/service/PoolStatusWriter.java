package dev.keyless.operator.pool.service;

import dev.keyless.operator.pool.model.RunnerPool;
import dev.keyless.operator.pool.model.RunnerPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes a pool's status. The claim thread (jobs started, the scheduler's health) and the reconciler (Pods, jobs
 * failed) both write it, so the writes of one pool take turns (a lock per pool), each reads the newest status and
 * replaces it under its resourceVersion, and is retried when a write from elsewhere came first: a counter is never
 * set from a stale copy.
 */
@ApplicationScoped
public class PoolStatusWriter {

    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public PoolStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Applies {@code change} to the pool's newest status, then sets the conditions from {@code health}. */
    public void update(String namespace, String name, PoolHealth health, Consumer<RunnerPoolStatus> change) {
        ReentrantLock lock = locks.computeIfAbsent(namespace + "/" + name, key -> new ReentrantLock());
        lock.lock();
        try {
            write(namespace, name, health, change);
        } finally {
            lock.unlock();
        }
    }

    private void write(String namespace, String name, PoolHealth health, Consumer<RunnerPoolStatus> change) {
        for (int attempt = 1; ; attempt++) {
            RunnerPool latest = client.resources(RunnerPool.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            if (latest == null) {
                return;
            }
            RunnerPoolStatus status = latest.getStatus() == null ? new RunnerPoolStatus() : latest.getStatus();
            zeroCounters(status);
            change.accept(status);
            setConditions(status, health, latest.getMetadata().getGeneration());
            latest.setStatus(status);
            try {
                client.resource(latest).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                boolean conflict = e.getCode() == HttpURLConnection.HTTP_CONFLICT;
                if (!conflict || attempt == ATTEMPTS) {
                    if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                        return;
                    }
                    throw e;
                }
            }
        }
    }

    private static void zeroCounters(RunnerPoolStatus status) {
        if (status.getJobsStarted() == null) {
            status.setJobsStarted(0L);
        }
        if (status.getJobsFailed() == null) {
            status.setJobsFailed(0L);
        }
        if (status.getJobsRunning() == null) {
            status.setJobsRunning(0);
        }
    }

    private static void setConditions(RunnerPoolStatus status, PoolHealth health, Long generation) {
        PoolHealth.Problem problem = health.problem();
        if (problem == null) {
            set(status, READY, "True", "Claiming", "claiming jobs from the scheduler", generation);
            set(status, DEGRADED, "False", "Healthy", "no problem seen", generation);
        } else {
            set(status, READY, "False", problem.reason(), problem.message(), generation);
            set(status, DEGRADED, "True", problem.reason(), problem.message(), generation);
        }
    }

    private static void set(
            RunnerPoolStatus status, String type, String value, String reason, String message, Long generation) {
        Condition existing = status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
        String since =
                existing != null && value.equals(existing.getStatus()) && existing.getLastTransitionTime() != null
                        ? existing.getLastTransitionTime()
                        : Instant.now().toString();
        Condition condition = new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .withObservedGeneration(generation)
                .build();
        status.getConditions().removeIf(c -> type.equals(c.getType()));
        status.getConditions().add(condition);
    }
}
