package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

/**
 * Rules on the rendered workloads, Secrets and availability objects. Each method returns the violations it
 * found, each naming the object (and container) it failed on; an empty list means the rule holds.
 */
final class WorkloadRules {

    static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet");

    /** Probe field to the Quarkus SmallRye Health path it must call. */
    static final Map<String, String> PROBE_PATHS = Map.of(
            "startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready");

    /** Health, metrics and OpenAPI are served on this named container port, apart from the API port. */
    static final String MANAGEMENT_PORT_NAME = "management";

    static final int MANAGEMENT_PORT = 9000;

    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "PriorityClass",
            "StorageClass",
            "IngressClass");

    private WorkloadRules() {}

    static List<Manifest> workloads(List<Manifest> manifests) {
        return manifests.stream().filter(m -> WORKLOAD_KINDS.contains(m.kind())).toList();
    }

    static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static List<String> probes(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest workload : workloads(manifests)) {
            for (JsonNode container : elements(workload.podSpec().path("containers"))) {
                String where =
                        workload.id() + " container " + container.path("name").asText();
                PROBE_PATHS.forEach((probe, path) -> {
                    JsonNode httpGet = container.path(probe).path("httpGet");
                    if (container.path(probe).isMissingNode()) {
                        violations.add(where + ": no " + probe);
                    } else if (!path.equals(httpGet.path("path").asText())) {
                        violations.add(where + ": " + probe + " must be an HTTP GET on " + path + ", is "
                                + container.path(probe));
                    } else if (!MANAGEMENT_PORT_NAME.equals(httpGet.path("port").asText())) {
                        violations.add(where + ": " + probe + " must call the management port ('" + MANAGEMENT_PORT_NAME
                                + "'), is " + httpGet.path("port").asText());
                    }
                });
            }
        }
        return violations;
    }

    static List<String> resources(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest workload : workloads(manifests)) {
            for (JsonNode container : allContainers(workload)) {
                String where =
                        workload.id() + " container " + container.path("name").asText();
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (container
                                .path("resources")
                                .path(bound)
                                .path(resource)
                                .asText("")
                                .isBlank()) {
                            violations.add(where + ": no resources." + bound + "." + resource);
                        }
                    }
                }
            }
        }
        return violations;
    }

    /** The restricted Pod Security Standard, plus a read-only root filesystem with an emptyDir on /tmp. */
    static List<String> securityContext(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest workload : workloads(manifests)) {
            JsonNode pod = workload.podSpec();
            JsonNode podContext = pod.path("securityContext");
            for (String hostField : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (pod.path(hostField).asBoolean(false)) {
                    violations.add(workload.id() + ": " + hostField + " is true");
                }
            }
            if (pod.path("automountServiceAccountToken").asBoolean(true)) {
                violations.add(workload.id() + ": automountServiceAccountToken must be false (no Kubernetes API use)");
            }
            for (JsonNode container : allContainers(workload)) {
                String where =
                        workload.id() + " container " + container.path("name").asText();
                JsonNode context = container.path("securityContext");
                if (!effective(context, podContext, "runAsNonRoot").asBoolean(false)) {
                    violations.add(where + ": runAsNonRoot is not true");
                }
                if (effective(context, podContext, "runAsUser").asLong(-1) == 0) {
                    violations.add(where + ": runAsUser is 0");
                }
                if (context.path("privileged").asBoolean(false)) {
                    violations.add(where + ": privileged");
                }
                if (!context.path("allowPrivilegeEscalation").isBoolean()
                        || context.path("allowPrivilegeEscalation").asBoolean()) {
                    violations.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (!context.path("readOnlyRootFilesystem").asBoolean(false)) {
                    violations.add(where + ": readOnlyRootFilesystem is not true");
                }
                Set<String> dropped = texts(context.path("capabilities").path("drop"));
                if (!dropped.contains("ALL")) {
                    violations.add(where + ": capabilities.drop does not contain ALL");
                }
                if (!context.path("capabilities").path("add").isEmpty()) {
                    violations.add(where + ": adds capabilities "
                            + context.path("capabilities").path("add"));
                }
                String seccomp = effective(context, podContext, "seccompProfile")
                        .path("type")
                        .asText("");
                if (!Set.of("RuntimeDefault", "Localhost").contains(seccomp)) {
                    violations.add(where + ": seccompProfile is not RuntimeDefault (is '" + seccomp + "')");
                }
                if (!writableTmp(pod, container)) {
                    violations.add(where + ": no emptyDir mounted on /tmp for the read-only root filesystem");
                }
            }
        }
        return violations;
    }

    static List<String> pinnedImages(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest workload : workloads(manifests)) {
            for (JsonNode container : allContainers(workload)) {
                String image = container.path("image").asText("");
                if (!pinned(image)) {
                    violations.add(workload.id() + " container "
                            + container.path("name").asText() + ": image '" + image
                            + "' is not pinned to a version tag or digest");
                }
            }
        }
        return violations;
    }

    /** A digest, or a tag that is present and not "latest". */
    static boolean pinned(String image) {
        if (image.isBlank()) {
            return false;
        }
        if (image.contains("@sha256:")) {
            return true;
        }
        int colon = image.lastIndexOf(':');
        if (colon < 0 || colon < image.lastIndexOf('/')) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.isBlank() && !tag.equalsIgnoreCase("latest");
    }

    static List<String> noSecretValues(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest secret : ofKind(manifests, "Secret")) {
            for (String field : List.of("data", "stringData")) {
                if (secret.body().has(field) && !secret.body().path(field).isEmpty()) {
                    violations.add(secret.id() + ": carries " + field + "; Secrets are supplied by the deployment, "
                            + "never committed");
                }
            }
        }
        return violations;
    }

    static List<String> namespaced(List<Manifest> manifests, String namespace) {
        List<String> violations = new ArrayList<>();
        for (Manifest manifest : manifests) {
            if (!CLUSTER_SCOPED.contains(manifest.kind()) && !namespace.equals(manifest.namespace())) {
                violations.add(manifest.id() + ": not in namespace " + namespace);
            }
        }
        return violations;
    }

    /** ConfigMaps a workload reads must be rendered too (generated names carry a content hash). */
    static List<String> configMapReferences(List<Manifest> manifests) {
        Set<String> configMaps = new TreeSet<>();
        ofKind(manifests, "ConfigMap").forEach(m -> configMaps.add(m.name()));
        List<String> violations = new ArrayList<>();
        for (Manifest workload : workloads(manifests)) {
            for (JsonNode container : allContainers(workload)) {
                List<String> names = new ArrayList<>();
                elements(container.path("envFrom"))
                        .forEach(e ->
                                names.add(e.path("configMapRef").path("name").asText("")));
                elements(container.path("env"))
                        .forEach(e -> names.add(e.path("valueFrom")
                                .path("configMapKeyRef")
                                .path("name")
                                .asText("")));
                names.stream()
                        .filter(n -> !n.isEmpty() && !configMaps.contains(n))
                        .forEach(n ->
                                violations.add(workload.id() + ": reads ConfigMap " + n + ", which is not rendered"));
            }
        }
        return violations;
    }

    /** Names of the Secrets the workloads read (env, envFrom, volumes): the deployment must supply them. */
    static Set<String> referencedSecrets(List<Manifest> manifests) {
        Set<String> names = new TreeSet<>();
        for (Manifest workload : workloads(manifests)) {
            for (JsonNode container : allContainers(workload)) {
                elements(container.path("env"))
                        .forEach(e -> names.add(e.path("valueFrom")
                                .path("secretKeyRef")
                                .path("name")
                                .asText("")));
                elements(container.path("envFrom"))
                        .forEach(e -> names.add(e.path("secretRef").path("name").asText("")));
            }
            elements(workload.podSpec().path("volumes"))
                    .forEach(v -> names.add(v.path("secret").path("secretName").asText("")));
        }
        names.remove("");
        return names;
    }

    /**
     * Every Service selects the pods of some workload, each of its target ports is a port of their containers, and
     * none targets the management port (health, metrics and OpenAPI stay off every Service).
     */
    static List<String> serviceTargets(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest service : ofKind(manifests, "Service")) {
            Map<String, String> selector = Manifest.labels(service.spec().path("selector"));
            List<Manifest> targets = workloads(manifests).stream()
                    .filter(w -> !selector.isEmpty()
                            && selector.entrySet().stream().allMatch(e -> e.getValue()
                                    .equals(Manifest.labels(w.spec()
                                                    .path("template")
                                                    .path("metadata")
                                                    .path("labels"))
                                            .get(e.getKey()))))
                    .toList();
            if (targets.isEmpty()) {
                violations.add(service.id() + ": selects no workload's pods");
            }
            for (Manifest target : targets) {
                Set<String> ports = new TreeSet<>();
                target.podSpec().path("containers").forEach(c -> c.path("ports").forEach(p -> {
                    ports.add(p.path("name").asText());
                    ports.add(p.path("containerPort").asText());
                }));
                service.spec().path("ports").forEach(p -> {
                    String targetPort =
                            p.path("targetPort").asText(p.path("port").asText());
                    if (targetPort.equals(MANAGEMENT_PORT_NAME) || targetPort.equals(String.valueOf(MANAGEMENT_PORT))) {
                        violations.add(service.id() + ": exposes the management port (" + targetPort + ")");
                    }
                    if (!ports.contains(targetPort)) {
                        violations.add(
                                service.id() + ": targetPort " + targetPort + " is not a port of " + target.id());
                    }
                });
            }
        }
        return violations;
    }

    /** Every Deployment has a PodDisruptionBudget selecting its pods. */
    static List<String> disruptionBudgets(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        List<Manifest> budgets = ofKind(manifests, "PodDisruptionBudget");
        for (Manifest deployment : ofKind(manifests, "Deployment")) {
            Map<String, String> podLabels = Manifest.labels(
                    deployment.spec().path("template").path("metadata").path("labels"));
            boolean covered = budgets.stream()
                    .anyMatch(pdb -> Selectors.matches(pdb.spec().path("selector"), podLabels)
                            && (pdb.spec().has("minAvailable") || pdb.spec().has("maxUnavailable")));
            if (!covered) {
                violations.add(deployment.id() + ": no PodDisruptionBudget selects its pods");
            }
        }
        return violations;
    }

    /** The named Deployments each have a HorizontalPodAutoscaler with at least {@code minReplicas} replicas. */
    static List<String> autoscalers(List<Manifest> manifests, List<String> deployments, int minReplicas) {
        List<String> violations = new ArrayList<>();
        for (String name : deployments) {
            List<Manifest> hpas = ofKind(manifests, "HorizontalPodAutoscaler").stream()
                    .filter(h -> h.spec()
                                    .path("scaleTargetRef")
                                    .path("kind")
                                    .asText()
                                    .equals("Deployment")
                            && h.spec()
                                    .path("scaleTargetRef")
                                    .path("name")
                                    .asText()
                                    .equals(name))
                    .toList();
            if (hpas.isEmpty()) {
                violations.add(manifests.get(0).overlay() + ": Deployment " + name + " has no HorizontalPodAutoscaler");
            }
            for (Manifest hpa : hpas) {
                if (hpa.spec().path("minReplicas").asInt(1) < minReplicas) {
                    violations.add(hpa.id() + ": minReplicas below " + minReplicas);
                }
                if (hpa.spec().path("maxReplicas").asInt(0)
                        < hpa.spec().path("minReplicas").asInt(1)) {
                    violations.add(hpa.id() + ": maxReplicas below minReplicas");
                }
            }
        }
        return violations;
    }

    static List<String> replicas(List<Manifest> manifests, List<String> deployments, int atLeast) {
        List<String> violations = new ArrayList<>();
        for (String name : deployments) {
            List<Manifest> found = ofKind(manifests, "Deployment").stream()
                    .filter(d -> d.name().equals(name))
                    .toList();
            if (found.isEmpty()) {
                violations.add(manifests.get(0).overlay() + ": no Deployment " + name);
            }
            found.stream()
                    .filter(d -> d.spec().path("replicas").asInt(1) < atLeast)
                    .forEach(d -> violations.add(d.id() + ": "
                            + d.spec().path("replicas").asInt(1) + " replicas, needs at least " + atLeast));
        }
        return violations;
    }

    private static List<JsonNode> allContainers(Manifest workload) {
        List<JsonNode> containers = new ArrayList<>(elements(workload.podSpec().path("containers")));
        containers.addAll(elements(workload.podSpec().path("initContainers")));
        return containers;
    }

    private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
        return container.has(field) ? container.path(field) : pod.path(field);
    }

    private static boolean writableTmp(JsonNode pod, JsonNode container) {
        return elements(container.path("volumeMounts")).stream()
                .filter(mount -> mount.path("mountPath").asText().equals("/tmp")
                        && !mount.path("readOnly").asBoolean(false))
                .anyMatch(mount -> elements(pod.path("volumes")).stream()
                        .anyMatch(v -> v.path("name")
                                        .asText()
                                        .equals(mount.path("name").asText())
                                && v.has("emptyDir")));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
