package dev.keyless.operator.pool.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.operator.config.OperatorConfig;
import dev.keyless.operator.pool.model.RunnerPool;
import dev.keyless.operator.pool.service.JobPodCleanup;
import dev.keyless.operator.pool.service.JobPods;
import dev.keyless.operator.pool.service.JobReports;
import dev.keyless.operator.pool.service.PodFailures;
import dev.keyless.operator.pool.service.PoolHealth;
import dev.keyless.operator.pool.service.PoolStatusWriter;
import dev.keyless.operator.pool.service.PoolWorker;
import dev.keyless.operator.pool.service.Pools;
import dev.keyless.operator.scheduler.ClaimedJob;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reconciles a {@link RunnerPool}: keeps its claim loop running with its newest spec, watches its job Pods (fails
 * the job of a Pod that cannot run, records how Pods ended, deletes finished Pods after their time), adopts what an
 * earlier run of the operator left (Pods by label; a job Secret whose Pod was never created gets it), and reports
 * the pool's status. Deleting a pool stops its claims and lets its jobs finish, or cancels them, as the pool says.
 */
@ApplicationScoped
@ControllerConfiguration(name = RunnerPoolReconciler.NAME)
public class RunnerPoolReconciler implements Reconciler<RunnerPool>, Cleaner<RunnerPool> {

    public static final String NAME = "runnerpool";
    private static final Logger LOG = Logger.getLogger(RunnerPoolReconciler.class);
    private static final Duration DELETION_POLL = Duration.ofSeconds(2);
    /** How often a pending Pod's job is heartbeated for: well inside the scheduler's heartbeat timeout (60 s). */
    private static final Duration PENDING_HEARTBEAT = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final Pools pools;
    private final JobReports reports;
    private final PoolStatusWriter statusWriter;
    private final OperatorConfig config;
    private final ObjectMapper json;

    public RunnerPoolReconciler(
            KubernetesClient client,
            Pools pools,
            JobReports reports,
            PoolStatusWriter statusWriter,
            OperatorConfig config,
            ObjectMapper json) {
        this.client = client;
        this.pools = pools;
        this.reports = reports;
        this.statusWriter = statusWriter;
        this.config = config;
        this.json = json;
    }

    /** The pools' job Pods, by label; a Pod event reconciles the pool that owns the Pod. */
    @Override
    public List<EventSource<?, RunnerPool>> prepareEventSources(EventSourceContext<RunnerPool> context) {
        return List.of(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, RunnerPool.class)
                        .withLabelSelector(JobPods.SELECTOR)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(RunnerPool.class))
                        .build(),
                context));
    }

    @Override
    public UpdateControl<RunnerPool> reconcile(RunnerPool pool, Context<RunnerPool> context) throws Exception {
        PoolWorker worker = pools.ensure(pool);
        if (worker == null) {
            return UpdateControl.noUpdate();
        }
        if (worker.firstReconcile()) {
            adoptSecretsWithoutPod(pool, worker);
        }
        Tally tally = new Tally(config.resyncInterval());
        for (Pod pod : context.getSecondaryResources(Pod.class)) {
            handle(pool, pod, tally, false);
        }
        if (tally.startFailure != null) {
            worker.health().pods(new PoolHealth.Problem(PoolHealth.PODS_FAILING, tally.startFailure));
        } else if (tally.anyRunning) {
            worker.health().pods(null);
        }
        statusWriter.update(
                pool.getMetadata().getNamespace(), pool.getMetadata().getName(), worker.health(), status -> {
                    status.setObservedGeneration(pool.getMetadata().getGeneration());
                    status.setJobsRunning(tally.active);
                    status.setJobsFailed(status.getJobsFailed() + tally.failed);
                });
        worker.wake();
        return UpdateControl.<RunnerPool>noUpdate().rescheduleAfter(tally.next);
    }

    @Override
    public DeleteControl cleanup(RunnerPool pool, Context<RunnerPool> context) throws Exception {
        pools.stop(pool);
        String namespace = pool.getMetadata().getNamespace();
        List<Pod> pods = client.pods()
                .inNamespace(namespace)
                .withLabel(JobPods.MANAGED_BY, JobPods.OPERATOR)
                .withLabel(JobPods.POOL, pool.getMetadata().getName())
                .list()
                .getItems();
        Tally tally = new Tally(DELETION_POLL);
        for (Pod pod : pods) {
            boolean running = !PodFailures.ended(pod) && pod.getMetadata().getDeletionTimestamp() == null;
            if (running && pool.getSpec().cancelOnDelete()) {
                // SIGTERM: the Pod's executor kills the command and reports the job failed within the grace period
                LOG.infof(
                        "pool %s/%s deleted: canceling job Pod %s",
                        namespace,
                        pool.getMetadata().getName(),
                        pod.getMetadata().getName());
                client.pods()
                        .inNamespace(namespace)
                        .withName(pod.getMetadata().getName())
                        .delete();
            } else {
                handle(pool, pod, tally, true);
            }
        }
        boolean podsLeft = !client.pods()
                .inNamespace(namespace)
                .withLabel(JobPods.POOL, pool.getMetadata().getName())
                .withLabel(JobPods.MANAGED_BY, JobPods.OPERATOR)
                .list()
                .getItems()
                .isEmpty();
        if (podsLeft) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETION_POLL);
        }
        client.secrets()
                .inNamespace(namespace)
                .withLabel(JobPods.MANAGED_BY, JobPods.OPERATOR)
                .withLabel(JobPods.POOL, pool.getMetadata().getName())
                .delete();
        LOG.infof(
                "pool %s/%s deleted: its job Pods and Secrets are gone",
                namespace, pool.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }

    /** What one pass over the pool's Pods found. */
    private static final class Tally {
        int active;
        long failed;
        boolean anyRunning;
        String startFailure;
        Duration next;

        Tally(Duration next) {
            this.next = next;
        }

        void recheckWithin(Duration delay) {
            Duration bounded = delay.isNegative() ? Duration.ZERO : delay;
            if (bounded.compareTo(next) < 0) {
                next = bounded.plusMillis(200);
            }
        }
    }

    /**
     * One job Pod: records its end, fails its job when it cannot run, lets it go when deleted, and deletes it when
     * its time is up ({@code deleting}: the pool is being deleted, so at once).
     */
    private void handle(RunnerPool pool, Pod pod, Tally tally, boolean deleting) throws Exception {
        String jobLabel = pod.getMetadata().getLabels().get(JobPods.JOB_ID);
        UUID jobId = UUID.fromString(jobLabel);
        Instant now = Instant.now();
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        String finishedAt = annotations.get(JobPods.FINISHED_AT);
        if (finishedAt != null) {
            Instant expires = Instant.parse(finishedAt).plus(config.finishedPodTtl());
            if (deleting || pod.getMetadata().getDeletionTimestamp() != null || !now.isBefore(expires)) {
                JobPodCleanup.deleteJob(client, pod);
            } else {
                tally.recheckWithin(Duration.between(now, expires));
            }
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (PodFailures.anyContainerRunning(pod) && !PodFailures.ended(pod)) {
                // its executor got SIGTERM and is reporting the job; wait until it is done
                tally.active++;
                tally.recheckWithin(DELETION_POLL);
                return;
            }
            String reason = "Failed".equals(PodFailures.phase(pod))
                    ? PodFailures.whyFailed(pod)
                    : "the job's Pod was deleted before its job finished";
            if (reports.fail(pool, jobId, reason)) {
                tally.failed++;
            }
            JobPodCleanup.deleteJob(client, pod);
            return;
        }
        String phase = PodFailures.phase(pod);
        if (PodFailures.ended(pod)) {
            if ("Failed".equals(phase)) {
                // its executor reported the job already unless the Pod ended under it (evicted, out of memory)
                reports.fail(pool, jobId, PodFailures.whyFailed(pod));
            }
            markFinished(pod, now);
            if ("Failed".equals(phase)) {
                tally.failed++;
            }
            if (deleting) {
                JobPodCleanup.deleteJob(client, pod);
            } else {
                tally.recheckWithin(config.finishedPodTtl());
            }
            return;
        }
        Optional<String> cannotRun = PodFailures.cannotRun(pod, config.unschedulableTimeout(), now);
        if (cannotRun.isPresent()) {
            LOG.infof("job Pod %s cannot run: %s", pod.getMetadata().getName(), cannotRun.get());
            reports.fail(pool, jobId, cannotRun.get());
            tally.failed++;
            tally.startFailure = "job Pod " + pod.getMetadata().getName() + ": " + cannotRun.get();
            JobPodCleanup.deleteJob(client, pod);
            return;
        }
        tally.active++;
        if ("Running".equals(phase)) {
            tally.anyRunning = true;
        } else {
            // nothing in the Pod heartbeats before its executor starts: speak for the job meanwhile
            reports.keepAlive(pool, jobId);
            tally.recheckWithin(PENDING_HEARTBEAT);
            Instant created = PodFailures.created(pod);
            if (created != null) {
                tally.recheckWithin(Duration.between(now, created.plus(config.unschedulableTimeout())));
            }
        }
    }

    private void markFinished(Pod pod, Instant now) {
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .edit(current -> {
                    Map<String, String> annotations = current.getMetadata().getAnnotations() == null
                            ? new HashMap<>()
                            : new HashMap<>(current.getMetadata().getAnnotations());
                    annotations.put(JobPods.FINISHED_AT, now.toString());
                    current.getMetadata().setAnnotations(annotations);
                    return current;
                });
    }

    /**
     * A job Secret without its Pod: an earlier run stopped between creating the two. The Secret holds the job, so
     * the Pod is created now (named after the job, so never twice).
     */
    private void adoptSecretsWithoutPod(RunnerPool pool, PoolWorker worker) throws Exception {
        String namespace = pool.getMetadata().getNamespace();
        Collection<Secret> secrets = client.secrets()
                .inNamespace(namespace)
                .withLabel(JobPods.MANAGED_BY, JobPods.OPERATOR)
                .withLabel(JobPods.POOL, pool.getMetadata().getName())
                .list()
                .getItems();
        List<Secret> withoutPod = new ArrayList<>();
        for (Secret secret : secrets) {
            if (client.pods()
                            .inNamespace(namespace)
                            .withName(secret.getMetadata().getName())
                            .get()
                    == null) {
                withoutPod.add(secret);
            }
        }
        for (Secret secret : withoutPod) {
            ClaimedJob job = jobOf(secret);
            LOG.infof("adopting job %s: its Secret has no Pod yet", job.jobId());
            worker.podsLock().lock();
            try {
                worker.createSecretAndPod(pool, job);
            } finally {
                worker.podsLock().unlock();
            }
        }
    }

    private ClaimedJob jobOf(Secret secret) throws Exception {
        Map<String, String> data = secret.getData();
        ClaimedJob described = json.readValue(Base64.getDecoder().decode(data.get("job.json")), ClaimedJob.class);
        String credential = new String(Base64.getDecoder().decode(data.get("credential")), StandardCharsets.US_ASCII);
        return new ClaimedJob(
                described.jobId(),
                described.orgId(),
                described.projectId(),
                described.pipelineId(),
                described.workflowId(),
                described.name(),
                described.command(),
                described.timeoutSeconds(),
                credential);
    }
}
