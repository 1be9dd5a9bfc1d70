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
import java.util.UUID;

/**
 * Reports a job failed when its Pod could not run it. The operator keeps no job credential: it reads the one in the
 * job's Secret for this call only. That copy is the claim's: once the Pod's executor has run for longer than a
 * credential lives (4 min), it has expired, and the scheduler declares the job lost on its own (its heartbeats stop).
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
     * Reports the job of the Pod named {@code podName} failed with {@code reason}. Returns true when the scheduler
     * took the report, false when the job had already ended (its executor reported it) or its Secret is gone.
     */
    public boolean fail(RunnerPool pool, UUID jobId, String reason) throws IOException, InterruptedException {
        Secret secret = client.secrets().inNamespace(pool.getMetadata().getNamespace())
                .withName(JobPods.name(jobId)).get();
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(JobPods.CREDENTIAL_KEY);
        if (encoded == null) {
            LOG.warnf("job %s cannot be reported failed (%s): its Secret is gone; the scheduler will declare it lost",
                    jobId, reason);
            return false;
        }
        String credential = new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
        try {
            boolean reported = scheduler.fail(pool.getSpec().getSchedulerUrl(), jobId, credential, reason);
            if (reported) {
                meters.counter("keyless.operator.jobs.failed.reported").increment();
                LOG.infof("job %s of pool %s reported failed: %s", jobId, pool.getMetadata().getName(), reason);
            }
            return reported;
        } catch (SchedulerException e) {
            throw new IOException("reporting job " + jobId + " failed: " + e.getMessage(), e);
        }
    }
}
