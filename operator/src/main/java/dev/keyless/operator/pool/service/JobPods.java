package dev.keyless.operator.pool.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.operator.config.OperatorConfig;
import dev.keyless.operator.pool.model.JobPodTemplate;
import dev.keyless.operator.pool.model.RunnerPool;
import dev.keyless.operator.scheduler.ClaimedJob;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Pod and the Secret of one job. Both are named after the job id, so that an operator that restarts (or two
 * reconciles that race) can never create a second Pod for a job: the API server refuses the second name.
 *
 * <p>The job credential is only in the Secret, mounted as a file; the Pod's spec and environment never hold it.
 * The Secret is owned by the Pod (deleted with it) once the Pod exists; before, by the pool, so that a Secret whose
 * Pod was never created (the operator stopped in between) is found again and gets its Pod.
 */
@ApplicationScoped
public class JobPods {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "keyless-operator";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String POOL = "keyless.dev/pool";
    public static final String JOB_ID = "keyless.dev/job-id";
    public static final String PIPELINE_ID = "keyless.dev/pipeline-id";
    public static final String WORKFLOW_ID = "keyless.dev/workflow-id";
    public static final String PROJECT_ID = "keyless.dev/project-id";
    /** Set when the operator has recorded the Pod's end; the Pod is deleted a while after. */
    public static final String FINISHED_AT = "keyless.dev/finished-at";
    /** Holds a deleted job Pod until the operator made sure its job was reported. */
    public static final String REPORT_FINALIZER = "keyless.dev/job-report";
    /** Selects every Pod and Secret the operator created. */
    public static final String SELECTOR = MANAGED_BY + "=" + OPERATOR;

    static final String JOB_CONTAINER = "job";
    static final String EXECUTOR_CONTAINER = "keyless-executor";
    static final String JOB_DIR = "/var/run/keyless/job";
    static final String WORK_DIR = "/var/run/keyless/work";
    static final String TOOLS_DIR = "/keyless";
    /** Where the executor image keeps the executor: a JRE ({@code jre/}) and {@code keyless-executor.jar}. */
    static final String EXECUTOR_HOME = "/opt/keyless";

    static final String CREDENTIAL_KEY = "credential";
    static final String JOB_KEY = "job.json";

    private final ObjectMapper json;
    private final OperatorConfig config;

    public JobPods(ObjectMapper json, OperatorConfig config) {
        this.json = json;
        this.config = config;
    }

    public static String name(UUID jobId) {
        return "keyless-job-" + jobId;
    }

    /** The job's Secret, owned by the pool until its Pod exists. */
    public Secret secret(RunnerPool pool, ClaimedJob job) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("job_id", job.jobId().toString());
        descriptor.put("org_id", job.orgId().toString());
        descriptor.put("project_id", job.projectId().toString());
        descriptor.put("pipeline_id", String.valueOf(job.pipelineId()));
        descriptor.put("workflow_id", String.valueOf(job.workflowId()));
        descriptor.put("name", job.name());
        descriptor.put("command", job.command());
        descriptor.put("timeout_seconds", job.timeoutSeconds());
        String descriptorJson;
        try {
            descriptorJson = json.writeValueAsString(descriptor);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the job descriptor", e);
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name(job.jobId()))
                .withNamespace(pool.getMetadata().getNamespace())
                .withLabels(labels(pool, job))
                .withOwnerReferences(ownerReference(pool))
                .endMetadata()
                .withType("Opaque")
                .withImmutable(true)
                .withData(Map.of(
                        CREDENTIAL_KEY, base64(job.credential()),
                        JOB_KEY, base64(descriptorJson)))
                .build();
    }

    /** The job's Pod: the pool's image runs the executor, which an init container copied in. */
    public Pod pod(RunnerPool pool, ClaimedJob job) {
        JobPodTemplate template = pool.getSpec().getPodTemplate() == null
                ? new JobPodTemplate()
                : pool.getSpec().getPodTemplate();
        String executorImage = pool.getSpec().getExecutorImage() == null
                ? config.executorImage()
                : pool.getSpec().getExecutorImage();
        boolean serviceAccount = template.getServiceAccountName() != null;
        List<EnvVar> env = List.of(
                new EnvVar("KEYLESS_SCHEDULER_URL", pool.getSpec().getSchedulerUrl(), null),
                new EnvVar("KEYLESS_CONTEXT_URL", pool.getSpec().getContextUrl(), null),
                new EnvVar("KEYLESS_ISSUER_URL", pool.getSpec().getIssuerUrl(), null),
                new EnvVar("KEYLESS_JOB_DIR", JOB_DIR, null),
                new EnvVar(
                        "KEYLESS_GRACE_SECONDS",
                        String.valueOf(Math.max(0, config.jobTerminationGraceSeconds() - 10)),
                        null));
        return new PodBuilder()
                .withNewMetadata()
                .withName(name(job.jobId()))
                .withNamespace(pool.getMetadata().getNamespace())
                .withLabels(labels(pool, job))
                .withOwnerReferences(ownerReference(pool))
                .withFinalizers(REPORT_FINALIZER)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                // the executor kills the command 5 s before the timeout and reports; this is the backstop
                .withActiveDeadlineSeconds((long) job.timeoutSeconds())
                .withTerminationGracePeriodSeconds((long) config.jobTerminationGraceSeconds())
                .withServiceAccountName(template.getServiceAccountName())
                .withAutomountServiceAccountToken(serviceAccount)
                .withEnableServiceLinks(false)
                .withNodeSelector(template.getNodeSelector())
                .withTolerations(template.getTolerations())
                .withNewSecurityContext()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewInitContainer()
                .withName(EXECUTOR_CONTAINER)
                .withImage(executorImage)
                .withCommand("cp", "-R", EXECUTOR_HOME + "/.", TOOLS_DIR + "/")
                .withNewResources()
                .addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("64Mi"))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("keyless-tools")
                .withMountPath(TOOLS_DIR)
                .endVolumeMount()
                .endInitContainer()
                .addNewContainer()
                .withName(JOB_CONTAINER)
                .withImage(pool.getSpec().getImage())
                .withCommand(
                        TOOLS_DIR + "/jre/bin/java",
                        "-Djava.io.tmpdir=" + WORK_DIR,
                        "-XX:MaxRAMPercentage=25",
                        "-jar",
                        TOOLS_DIR + "/keyless-executor.jar",
                        "pod")
                .withEnv(env)
                .withResources(template.getResources())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("keyless-job")
                .withMountPath(JOB_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("keyless-work")
                .withMountPath(WORK_DIR)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("keyless-tools")
                .withMountPath(TOOLS_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("keyless-job")
                // readable by whatever user the job image runs as: only this Pod's one container mounts it, and
                // the job reaches its credential anyway (KEYLESS_JOB_CREDENTIAL_FILE, for `executor oidc get`)
                .withNewSecret()
                .withSecretName(name(job.jobId()))
                .withDefaultMode(0444)
                .endSecret()
                .endVolume()
                // the executor's writable copy of the credential (renewed by heartbeats) and the job's workspace
                .addNewVolume()
                .withName("keyless-work")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .addNewVolume()
                .withName("keyless-tools")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .build();
    }

    /** The Secret's owner once its Pod exists: the Secret then goes with the Pod. */
    public static OwnerReference ownedBy(Pod pod) {
        return new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(false)
                .build();
    }

    static OwnerReference ownerReference(RunnerPool pool) {
        return new OwnerReferenceBuilder()
                .withApiVersion(HasMetadata.getApiVersion(RunnerPool.class))
                .withKind(HasMetadata.getKind(RunnerPool.class))
                .withName(pool.getMetadata().getName())
                .withUid(pool.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static Map<String, String> labels(RunnerPool pool, ClaimedJob job) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(COMPONENT, "job");
        labels.put(POOL, pool.getMetadata().getName());
        labels.put(JOB_ID, job.jobId().toString());
        if (job.pipelineId() != null) {
            labels.put(PIPELINE_ID, job.pipelineId().toString());
        }
        if (job.workflowId() != null) {
            labels.put(WORKFLOW_ID, job.workflowId().toString());
        }
        labels.put(PROJECT_ID, job.projectId().toString());
        return labels;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
