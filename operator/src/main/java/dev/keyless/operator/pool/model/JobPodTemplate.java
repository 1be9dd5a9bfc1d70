package dev.keyless.operator.pool.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** What a pool applies to every job Pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobPodTemplate {

    /** Requests and limits of the job's container. */
    private ResourceRequirements resources;

    private Map<String, String> nodeSelector;
    private List<Toleration> tolerations;
    /**
     * The job Pod's service account. Without one, the Pod mounts no service-account token: a job needs no
     * Kubernetes API access unless its pool grants it.
     */
    private String serviceAccountName;

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }
}
