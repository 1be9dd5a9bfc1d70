package dev.keyless.operator.pool.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a pool declares. Defaults for absent optional fields are applied by the CRD schema, and again here for a
 * pool read before the API server defaulted it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunnerPoolSpec {

    /** Base URL of scheduler-service, reached by the operator (claims) and by the job Pods (heartbeats, report). */
    private String schedulerUrl;
    /** Base URL of context-service, reached by the job Pods (environment pull). */
    private String contextUrl;
    /** Base URL of issuer-service, reached by the job Pods ({@code executor oidc get}). */
    private String issuerUrl;
    /** The Secret (in the pool's namespace) and key holding the executor token the operator claims with. */
    private SecretKeyRef executorTokenSecretRef;
    /** Claim only this project's jobs, when set. */
    private String projectId;

    private Integer maxConcurrentJobs;
    /** The image every job runs in (the scheduler records no per-job image yet). */
    private String image;
    /** The image whose init container copies the executor into the job's Pod, so any job image works. */
    private String executorImage;

    private JobPodTemplate podTemplate;
    /** What deleting the pool does to its running jobs: {@code Finish} lets them finish, {@code Cancel} ends them. */
    private String onDelete;

    public String getSchedulerUrl() {
        return schedulerUrl;
    }

    public void setSchedulerUrl(String schedulerUrl) {
        this.schedulerUrl = schedulerUrl;
    }

    public String getContextUrl() {
        return contextUrl;
    }

    public void setContextUrl(String contextUrl) {
        this.contextUrl = contextUrl;
    }

    public String getIssuerUrl() {
        return issuerUrl;
    }

    public void setIssuerUrl(String issuerUrl) {
        this.issuerUrl = issuerUrl;
    }

    public SecretKeyRef getExecutorTokenSecretRef() {
        return executorTokenSecretRef;
    }

    public void setExecutorTokenSecretRef(SecretKeyRef executorTokenSecretRef) {
        this.executorTokenSecretRef = executorTokenSecretRef;
    }

    public String getProjectId() {
        return projectId;
    }

    public void setProjectId(String projectId) {
        this.projectId = projectId;
    }

    public Integer getMaxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    public void setMaxConcurrentJobs(Integer maxConcurrentJobs) {
        this.maxConcurrentJobs = maxConcurrentJobs;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getExecutorImage() {
        return executorImage;
    }

    public void setExecutorImage(String executorImage) {
        this.executorImage = executorImage;
    }

    public JobPodTemplate getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(JobPodTemplate podTemplate) {
        this.podTemplate = podTemplate;
    }

    public String getOnDelete() {
        return onDelete;
    }

    public void setOnDelete(String onDelete) {
        this.onDelete = onDelete;
    }

    /** {@code maxConcurrentJobs}, 1 when absent. */
    public int capacity() {
        return maxConcurrentJobs == null ? 1 : maxConcurrentJobs;
    }

    /** Whether deleting the pool cancels its running jobs (rather than letting them finish). */
    public boolean cancelOnDelete() {
        return "Cancel".equals(onDelete);
    }
}
