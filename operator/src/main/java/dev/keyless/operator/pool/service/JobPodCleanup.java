package dev.keyless.operator.pool.service;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;

/** Deletes a job's Pod and Secret, the Pod's report finalizer included. */
public final class JobPodCleanup {

    private JobPodCleanup() {}

    /**
     * Deletes the Pod's Secret, then the Pod. The Secret is deleted explicitly although the Pod owns it: the
     * credential should not outlive the Pod for as long as garbage collection takes.
     */
    public static void deleteJob(KubernetesClient client, Pod pod) {
        client.secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .delete();
        removeFinalizerAndDelete(client, pod);
    }

    static void removeFinalizerAndDelete(KubernetesClient client, Pod pod) {
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .delete();
        removeFinalizer(client, pod);
    }

    /** Lets a deleted Pod go, once its job is known to be reported. */
    public static void removeFinalizer(KubernetesClient client, Pod pod) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .edit(current -> {
                        current.getMetadata().getFinalizers().remove(JobPods.REPORT_FINALIZER);
                        return current;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }
}
