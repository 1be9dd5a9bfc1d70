package dev.keyless.operator.pool.service;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a job Pod's status the way a user would, and says why its job cannot run or did not end well. */
public final class PodFailures {

    /** Waiting reasons after which the kubelet will not start the container without a change to the Pod. */
    private static final Set<String> CANNOT_START = Set.of(
            "ImagePullBackOff",
            "InvalidImageName",
            "ErrImageNeverPull",
            "CreateContainerConfigError",
            "CreateContainerError");

    private PodFailures() {}

    /**
     * Why a Pod that has not ended cannot run its job: an image that cannot be pulled, a container that cannot be
     * created, or no node for it past {@code unschedulableTimeout}. Empty while it may still start.
     */
    public static Optional<String> cannotRun(Pod pod, Duration unschedulableTimeout, Instant now) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        for (ContainerStatus container : containers(pod)) {
            ContainerStateWaiting waiting =
                    container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && CANNOT_START.contains(waiting.getReason())) {
                boolean pull = waiting.getReason().contains("Image");
                String what = pull
                        ? "the image " + quoted(container.getImage()) + " of container " + quoted(container.getName())
                                + " could not be pulled"
                        : "container " + quoted(container.getName()) + " could not be created";
                return Optional.of(what + " (" + waiting.getReason() + ")" + detail(waiting.getMessage()));
            }
        }
        for (PodCondition condition : conditions(pod)) {
            if ("PodScheduled".equals(condition.getType())
                    && "False".equals(condition.getStatus())
                    && "Unschedulable".equals(condition.getReason())) {
                Instant since = created(pod);
                if (since != null && Duration.between(since, now).compareTo(unschedulableTimeout) >= 0) {
                    return Optional.of("no node could run the job's Pod within " + unschedulableTimeout.toSeconds()
                            + " s" + detail(condition.getMessage()));
                }
            }
        }
        return Optional.empty();
    }

    /** Why a Pod whose phase is {@code Failed} ended: eviction, its deadline, or how its job container ended. */
    public static String whyFailed(Pod pod) {
        String reason = pod.getStatus() == null ? null : pod.getStatus().getReason();
        String message = pod.getStatus() == null ? null : pod.getStatus().getMessage();
        if ("Evicted".equals(reason)) {
            return "the job's Pod was evicted" + detail(message);
        }
        if ("DeadlineExceeded".equals(reason)) {
            Long deadline = pod.getSpec() == null ? null : pod.getSpec().getActiveDeadlineSeconds();
            return "the job's Pod exceeded its deadline" + (deadline == null ? "" : " of " + deadline + " s")
                    + " (the job's timeout)";
        }
        for (ContainerStatus container : containers(pod)) {
            ContainerStateTerminated terminated =
                    container.getState() == null ? null : container.getState().getTerminated();
            if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
                if ("OOMKilled".equals(terminated.getReason())) {
                    return "container " + quoted(container.getName()) + " ran out of memory (OOMKilled)";
                }
                return "container " + quoted(container.getName()) + " exited with code " + terminated.getExitCode()
                        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")");
            }
        }
        return "the job's Pod failed" + (reason == null ? "" : " (" + reason + ")") + detail(message);
    }

    /** Whether a container of the Pod still runs (a deleted Pod's executor is then still reporting its job). */
    public static boolean anyContainerRunning(Pod pod) {
        return containers(pod).stream()
                .anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    }

    public static boolean ended(Pod pod) {
        String phase = phase(pod);
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null
                ? "Pending"
                : pod.getStatus().getPhase();
    }

    public static Instant created(Pod pod) {
        String created = pod.getMetadata().getCreationTimestamp();
        return created == null ? null : Instant.parse(created);
    }

    private static List<ContainerStatus> containers(Pod pod) {
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        return all;
    }

    private static List<PodCondition> conditions(Pod pod) {
        return pod.getStatus() == null ? List.of() : pod.getStatus().getConditions();
    }

    private static String quoted(String value) {
        return "'" + value + "'";
    }

    private static String detail(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}
