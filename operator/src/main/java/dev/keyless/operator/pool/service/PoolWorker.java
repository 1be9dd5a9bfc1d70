package dev.keyless.operator.pool.service;

import dev.keyless.operator.config.OperatorConfig;
import dev.keyless.operator.pool.model.RunnerPool;
import dev.keyless.operator.scheduler.ClaimedJob;
import dev.keyless.operator.scheduler.SchedulerClient;
import dev.keyless.operator.scheduler.SchedulerException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool's claim loop, on a thread of its own: while fewer than {@code maxConcurrentJobs} of the pool's Pods have
 * not ended, it long-polls the scheduler for a job and gives each job its Secret and its Pod. A claim in flight is
 * always finished (never interrupted), so a claimed job always gets its Pod or is reported failed.
 */
public final class PoolWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(PoolWorker.class);
    private static final long MAX_BACKOFF_SECONDS = 30;

    private final KubernetesClient client;
    private final SchedulerClient scheduler;
    private final JobPods jobPods;
    private final PoolStatusWriter statusWriter;
    private final OperatorConfig config;
    private final MeterRegistry meters;
    private final String namespace;
    private final String name;
    private final PoolHealth health = new PoolHealth();
    /** Serializes what creates or deletes the pool's job Pods, so that capacity is counted on settled ground. */
    private final ReentrantLock podsLock = new ReentrantLock();

    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile RunnerPool pool;
    private volatile boolean stopped;
    private volatile boolean adopted;

    PoolWorker(
            RunnerPool pool,
            KubernetesClient client,
            SchedulerClient scheduler,
            JobPods jobPods,
            PoolStatusWriter statusWriter,
            OperatorConfig config,
            MeterRegistry meters) {
        this.pool = pool;
        this.client = client;
        this.scheduler = scheduler;
        this.jobPods = jobPods;
        this.statusWriter = statusWriter;
        this.config = config;
        this.meters = meters;
        this.namespace = pool.getMetadata().getNamespace();
        this.name = pool.getMetadata().getName();
        this.thread = new Thread(this, "pool-" + namespace + "-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Takes the pool's newest spec; the next claim uses it. */
    void update(RunnerPool latest) {
        this.pool = latest;
        wake();
    }

    /** A Pod of the pool changed: a slot may be free. */
    public void wake() {
        wake.release();
    }

    /** Stops claiming and waits for a claim in flight to get its Pod. */
    void stop() throws InterruptedException {
        stopped = true;
        wake();
        thread.join(TimeUnit.SECONDS.toMillis(config.claimWaitSeconds() + 30L));
    }

    public PoolHealth health() {
        return health;
    }

    public ReentrantLock podsLock() {
        return podsLock;
    }

    /** True the first time: the caller then adopts what an earlier run of the operator left. */
    public boolean firstReconcile() {
        if (adopted) {
            return false;
        }
        adopted = true;
        return true;
    }

    @Override
    public void run() {
        long failures = 0;
        while (!stopped) {
            try {
                RunnerPool current = pool;
                if (activeJobs() >= current.getSpec().capacity()) {
                    pause(config.capacityPollInterval().toMillis());
                    continue;
                }
                Optional<String> token = executorToken(current);
                if (token.isEmpty()) {
                    problem(new PoolHealth.Problem(
                            PoolHealth.EXECUTOR_TOKEN_MISSING,
                            "the executor token Secret "
                                    + current.getSpec()
                                            .getExecutorTokenSecretRef()
                                            .getName() + " or its key "
                                    + current.getSpec()
                                            .getExecutorTokenSecretRef()
                                            .keyOrDefault() + " does not exist"));
                    pause(TimeUnit.SECONDS.toMillis(MAX_BACKOFF_SECONDS));
                    continue;
                }
                Optional<ClaimedJob> job = scheduler.claim(
                        current.getSpec().getSchedulerUrl(),
                        token.get(),
                        config.claimWaitSeconds(),
                        current.getSpec().getProjectId());
                failures = 0;
                problem(null);
                if (job.isPresent()) {
                    start(current, job.get());
                }
            } catch (SchedulerException e) {
                failures++;
                problem(
                        e.tokenRefused()
                                ? new PoolHealth.Problem(
                                        PoolHealth.EXECUTOR_TOKEN_REFUSED,
                                        "the scheduler refused the executor token: " + e.getMessage())
                                : new PoolHealth.Problem(PoolHealth.SCHEDULER_UNREACHABLE, e.getMessage()));
                backOff(failures);
            } catch (IOException e) {
                failures++;
                problem(new PoolHealth.Problem(
                        PoolHealth.SCHEDULER_UNREACHABLE,
                        "the scheduler at " + pool.getSpec().getSchedulerUrl() + " cannot be reached: " + e));
                backOff(failures);
            } catch (KubernetesClientException e) {
                failures++;
                LOG.warnf("pool %s/%s: the Kubernetes API failed: %s", namespace, name, e.getMessage());
                backOff(failures);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures++;
                LOG.errorf(e, "pool %s/%s: claim loop failed", namespace, name);
                backOff(failures);
            }
        }
    }

    /** The pool's Pods that have not ended; a Pod being deleted still counts while it runs. */
    int activeJobs() {
        return (int) client
                .pods()
                .inNamespace(namespace)
                .withLabel(JobPods.MANAGED_BY, JobPods.OPERATOR)
                .withLabel(JobPods.POOL, name)
                .list()
                .getItems()
                .stream()
                .filter(pod -> !PodFailures.ended(pod) && !hasFinished(pod))
                .count();
    }

    static boolean hasFinished(Pod pod) {
        return pod.getMetadata().getAnnotations() != null
                && pod.getMetadata().getAnnotations().containsKey(JobPods.FINISHED_AT);
    }

    private Optional<String> executorToken(RunnerPool current) {
        Secret secret = client.secrets()
                .inNamespace(namespace)
                .withName(current.getSpec().getExecutorTokenSecretRef().getName())
                .get();
        String key = current.getSpec().getExecutorTokenSecretRef().keyOrDefault();
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return Optional.empty();
        }
        String token =
                new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** Gives the job its Secret and its Pod; if that fails, reports the job failed with why. */
    void start(RunnerPool current, ClaimedJob job) throws InterruptedException {
        podsLock.lock();
        try {
            createSecretAndPod(current, job);
        } catch (KubernetesClientException e) {
            String reason = "the operator could not create the job's Pod: " + e.getMessage();
            LOG.warnf("job %s of pool %s/%s: %s", job.jobId(), namespace, name, reason);
            deleteQuietly(job);
            try {
                scheduler.fail(current.getSpec().getSchedulerUrl(), job.jobId(), job.credential(), reason);
            } catch (IOException | SchedulerException reportFailure) {
                LOG.warnf(
                        "job %s could not be reported failed (%s); the scheduler will declare it lost",
                        job.jobId(), reportFailure.getMessage());
            }
            return;
        } finally {
            podsLock.unlock();
        }
        meters.counter("keyless.operator.jobs.started").increment();
        LOG.infof(
                "job %s (%s) of pool %s/%s runs in Pod %s",
                job.jobId(), job.name(), namespace, name, JobPods.name(job.jobId()));
        try {
            statusWriter.update(namespace, name, health, status -> status.setJobsStarted(status.getJobsStarted() + 1));
        } catch (KubernetesClientException e) {
            LOG.warnf("pool %s/%s: jobs started not counted: %s", namespace, name, e.getMessage());
        }
    }

    /** Idempotent: a Secret or Pod that exists already (named after the job) is kept, never duplicated. */
    public void createSecretAndPod(RunnerPool current, ClaimedJob job) {
        String jobName = JobPods.name(job.jobId());
        if (client.secrets().inNamespace(namespace).withName(jobName).get() == null) {
            createIgnoringConflict(
                    () -> client.resource(jobPods.secret(current, job)).create());
        }
        Pod pod = client.pods().inNamespace(namespace).withName(jobName).get();
        if (pod == null) {
            createIgnoringConflict(
                    () -> client.resource(jobPods.pod(current, job)).create());
            pod = client.pods().inNamespace(namespace).withName(jobName).get();
        }
        Pod owner = pod;
        client.secrets().inNamespace(namespace).withName(jobName).edit(secret -> {
            secret.getMetadata().setOwnerReferences(List.of(JobPods.ownedBy(owner)));
            return secret;
        });
    }

    private static void createIgnoringConflict(Runnable create) {
        try {
            create.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    private void deleteQuietly(ClaimedJob job) {
        String jobName = JobPods.name(job.jobId());
        try {
            client.secrets().inNamespace(namespace).withName(jobName).delete();
            Pod pod = client.pods().inNamespace(namespace).withName(jobName).get();
            if (pod != null) {
                JobPodCleanup.removeFinalizerAndDelete(client, pod);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not delete what was created for job %s: %s", job.jobId(), e.getMessage());
        }
    }

    private void problem(PoolHealth.Problem problem) {
        if (health.claim(problem)) {
            if (problem != null) {
                LOG.warnf("pool %s/%s degraded: %s: %s", namespace, name, problem.reason(), problem.message());
            } else {
                LOG.infof(
                        "pool %s/%s claims jobs from %s",
                        namespace, name, pool.getSpec().getSchedulerUrl());
            }
            try {
                statusWriter.update(namespace, name, health, status -> {});
            } catch (KubernetesClientException e) {
                LOG.warnf("pool %s/%s: status not written: %s", namespace, name, e.getMessage());
            }
        }
    }

    private void backOff(long failures) {
        pause(TimeUnit.SECONDS.toMillis(Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(failures, 5))));
    }

    /** Waits up to {@code millis}, or until woken (a Pod changed, the spec changed, the pool is stopping). */
    private void pause(long millis) {
        try {
            if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
