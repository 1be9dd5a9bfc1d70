package dev.keyless.operator.pool.service;

import dev.keyless.operator.pool.model.RunnerPool;
import dev.keyless.operator.scheduler.SchedulerClient;
import dev.keyless.operator.scheduler.SchedulerException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Speaks for a job whose Pod cannot yet (or can no longer) speak for itself: heartbeats while the Pod is pending
 * (an image pull can take longer than the scheduler's heartbeat timeout), and reports the job failed when its Pod
 * could not run it. The operator keeps no job credential: it reads the one in the job's Secret for each call, and
 * writes a renewed one back there, so the Pod's executor starts with a live credential and a failure report works.
 * Once the Pod's executor runs, it heartbeats and renews on its own; the Secret's copy then ages out (4 min), and a
 * Pod that dies later without reporting ends as a lost executor.
 */
@ApplicationScoped
public class JobReports {

    private static final Logger LOG = Logger.getLogger(JobReports.class);

    private final KubernetesClient client;
    private final SchedulerClient scheduler;
    private final MeterRegistry meters;

    public JobReports(KubernetesClient client, SchedulerClient scheduler, MeterRegistry meters) {
        this.client = client;
        this.scheduler = scheduler;
        this.meters = meters;
    }

    /**
     * Heartbeats for the job of a pending Pod and keeps the renewed credential in its Secret. Returns false when the
     * job no longer runs under that credential (or its Secret is gone).
     */
    public boolean keepAlive(RunnerPool pool, UUID jobId) throws IOException, InterruptedException {
        String namespace = pool.getMetadata().getNamespace();
        Secret secret = client.secrets()
                .inNamespace(namespace)
                .withName(JobPods.name(jobId))
                .get();
        String encoded = secret == null || secret.getData() == null
                ? null
                : secret.getData().get(JobPods.CREDENTIAL_KEY);
        if (encoded == null) {
            return false;
        }
        String credential = new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
        try {
            Optional<String> renewed = scheduler.heartbeat(pool.getSpec().getSchedulerUrl(), jobId, credential);
            if (renewed.isEmpty()) {
                return false;
            }
            String renewedEncoded =
                    Base64.getEncoder().encodeToString(renewed.get().getBytes(StandardCharsets.US_ASCII));
            client.secrets()
                    .inNamespace(namespace)
                    .withName(JobPods.name(jobId))
                    .edit(current -> {
                        current.getData().put(JobPods.CREDENTIAL_KEY, renewedEncoded);
                        return current;
                    });
            return true;
        } catch (SchedulerException e) {
            throw new IOException("heartbeat for job " + jobId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reports the job of the Pod named {@code podName} failed with {@code reason}. Returns true when the scheduler
     * took the report, false when the job had already ended (its executor reported it) or its Secret is gone.
     */
    public boolean fail(RunnerPool pool, UUID jobId, String reason) throws IOException, InterruptedException {
        Secret secret = client.secrets()
                .inNamespace(pool.getMetadata().getNamespace())
                .withName(JobPods.name(jobId))
                .get();
        String encoded = secret == null || secret.getData() == null
                ? null
                : secret.getData().get(JobPods.CREDENTIAL_KEY);
        if (encoded == null) {
            LOG.warnf(
                    "job %s cannot be reported failed (%s): its Secret is gone; the scheduler will declare it lost",
                    jobId, reason);
            return false;
        }
        String credential = new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
        try {
            boolean reported = scheduler.fail(pool.getSpec().getSchedulerUrl(), jobId, credential, reason);
            if (reported) {
                meters.counter("keyless.operator.jobs.failed.reported").increment();
                LOG.infof(
                        "job %s of pool %s reported failed: %s",
                        jobId, pool.getMetadata().getName(), reason);
            }
            return reported;
        } catch (SchedulerException e) {
            throw new IOException("reporting job " + jobId + " failed: " + e.getMessage(), e);
        }
    }
}
