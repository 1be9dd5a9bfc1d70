package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.deploy.NetworkPolicies.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.keyless.deploy.RenderedManifestsTest.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keyless-operator as rendered: its Deployment (one replica at a time), its namespaced least-privilege Role, the
 * RunnerPool CRD validating every field, an example pool, and the NetworkPolicies around the operator and the job
 * Pods it creates: the operator reaches the Kubernetes API and scheduler-service; job Pods reach context- and
 * issuer-service (and scheduler-service, where their executor heartbeats and reports) and nothing else of Keyless.
 * The workload rules every service follows (probes, limits, security context) cover the operator's Deployment too.
 */
class OperatorManifestsTest {

    private static final String NS = "keyless";
    private static final Map<String, String> NS_LABELS = Map.of("kubernetes.io/metadata.name", NS);
    private static final Set<String> OPERATOR_RESOURCES =
            Set.of("runnerpools", "runnerpools/status", "runnerpools/finalizers", "pods", "secrets", "events");
    /** A job Pod, labelled as the operator labels it (operator/.../JobPods). */
    private static final Pod JOB_POD = new Pod(
            "a job Pod",
            NS,
            NS_LABELS,
            Map.of(
                    "app.kubernetes.io/managed-by",
                    "keyless-operator",
                    "app.kubernetes.io/component",
                    "job",
                    "keyless.dev/pool",
                    "default",
                    "keyless.dev/job-id",
                    "5b1f7a52-4a0e-4d5e-9a43-2f0f6c1b2d3e"));

    private static final Pod API_SERVER = new Pod(
            "the Kubernetes API server",
            "default",
            Map.of("kubernetes.io/metadata.name", "default"),
            Map.of("component", "apiserver"));
    private static final Pod KAFKA = new Pod(
            "a Kafka broker",
            NS,
            NS_LABELS,
            Map.of(
                    "strimzi.io/cluster",
                    "keyless-kafka",
                    "strimzi.io/kind",
                    "Kafka",
                    "strimzi.io/broker-role",
                    "true"));
    private static final Pod POSTGRES = new Pod(
            "a PostgreSQL instance",
            NS,
            NS_LABELS,
            Map.of("cnpg.io/cluster", "keyless-postgres", "cnpg.io/podRole", "instance"));
    private static final Pod PROMETHEUS = new Pod(
            "Prometheus",
            "monitoring",
            Map.of("kubernetes.io/metadata.name", "monitoring"),
            Map.of("app.kubernetes.io/name", "prometheus"));
    private static final Pod OTHER_NAMESPACE = new Pod(
            "a pod of another namespace",
            "default",
            Map.of("kubernetes.io/metadata.name", "default"),
            Map.of("app", "web"));
    private static final int MANAGEMENT = WorkloadRules.MANAGEMENT_PORT;

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theOperatorRunsAsOneReplicaThatIsReplacedNotOverlapped(String overlay) {
        Manifest deployment = deployment(Kustomize.render(overlay), "keyless-operator");
        assertEquals(
                1, deployment.spec().path("replicas").asInt(), overlay + ": two operators would double the capacity");
        assertEquals(
                "Recreate",
                deployment.spec().path("strategy").path("type").asText(),
                overlay + ": a rolling update runs two operators at once");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theOperatorHasANamespacedLeastPrivilegeRoleAndIsTheOnlyOneWithAnApiToken(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        List<String> violations = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "ClusterRoleBinding")) {
            WorkloadRules.ofKind(manifests, kind).forEach(m -> violations.add(m.id() + ": cluster-wide RBAC"));
        }
        for (Manifest role : WorkloadRules.ofKind(manifests, "Role")) {
            for (JsonNode rule : role.body().path("rules")) {
                for (String field : List.of("apiGroups", "resources", "verbs")) {
                    rule.path(field).forEach(v -> {
                        if (v.asText().equals("*")) {
                            violations.add(role.id() + ": wildcard in " + field);
                        }
                    });
                }
                rule.path("resources").forEach(r -> {
                    if (!OPERATOR_RESOURCES.contains(r.asText())) {
                        violations.add(role.id() + ": grants " + r.asText());
                    }
                });
                rule.path("verbs").forEach(v -> {
                    if (Set.of("escalate", "bind", "impersonate").contains(v.asText())) {
                        violations.add(role.id() + ": grants " + v.asText());
                    }
                });
            }
        }
        for (Manifest binding : WorkloadRules.ofKind(manifests, "RoleBinding")) {
            binding.body().path("subjects").forEach(s -> {
                if (!s.path("name").asText().equals("keyless-operator")) {
                    violations.add(binding.id() + ": binds " + s.path("name").asText());
                }
            });
        }
        for (Manifest workload : WorkloadRules.workloads(manifests)) {
            boolean token = workload.podSpec()
                            .path("volumes")
                            .findValues("serviceAccountToken")
                            .size()
                    > 0;
            if (token && !workload.name().equals("keyless-operator")) {
                violations.add(workload.id() + ": mounts a service-account token");
            }
        }
        assertNoViolations(violations);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theRunnerPoolSchemaValidatesEveryFieldAndTheExamplePoolHasWhatItRequires(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        Manifest crd = manifests.stream()
                .filter(m -> m.is("CustomResourceDefinition", "runnerpools.keyless.dev"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no RunnerPool CRD"));
        JsonNode version = crd.spec().path("versions").get(0);
        assertTrue(version.path("subresources").has("status"), overlay + ": RunnerPool has no status subresource");
        JsonNode spec = version.path("schema")
                .path("openAPIV3Schema")
                .path("properties")
                .path("spec");
        List<String> violations = new ArrayList<>();
        untyped("spec", spec, violations);
        assertNoViolations(violations);

        List<Manifest> pools = WorkloadRules.ofKind(manifests, "RunnerPool");
        assertTrue(!pools.isEmpty(), overlay + ": no example RunnerPool");
        for (Manifest pool : pools) {
            spec.path("required")
                    .forEach(field ->
                            assertTrue(pool.spec().has(field.asText()), pool.id() + ": lacks " + field.asText()));
            pool.spec()
                    .fieldNames()
                    .forEachRemaining(field -> assertTrue(
                            spec.path("properties").has(field), pool.id() + ": " + field + " is not in the schema"));
        }
    }

    /** Every object of the schema refuses unknown fields or types its values; every leaf has a type. */
    private static void untyped(String path, JsonNode schema, List<String> violations) {
        if (schema.has("anyOf") || schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return;
        }
        if (!schema.has("type")) {
            violations.add(path + ": no type");
            return;
        }
        if (schema.path("type").asText().equals("object")) {
            if (schema.has("properties")) {
                if (!schema.path("additionalProperties").isBoolean()
                        || schema.path("additionalProperties").asBoolean()) {
                    violations.add(path + ": accepts unknown fields");
                }
                Iterator<Map.Entry<String, JsonNode>> fields =
                        schema.path("properties").fields();
                fields.forEachRemaining(e -> untyped(path + "." + e.getKey(), e.getValue(), violations));
            } else if (schema.path("additionalProperties").isObject()) {
                untyped(path + ".*", schema.path("additionalProperties"), violations);
            } else {
                violations.add(path + ": an object with neither properties nor typed values");
            }
        }
        if (schema.path("type").asText().equals("array")) {
            untyped(path + "[]", schema.path("items"), violations);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theOperatorReachesTheApiServerAndTheSchedulerOnly(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        NetworkPolicies policies = new NetworkPolicies(manifests);
        Pod operator = pod(manifests, "keyless-operator");
        Pod scheduler = pod(manifests, "scheduler-service");
        Pod context = pod(manifests, "context-service");
        Pod issuer = pod(manifests, "issuer-service");
        List<String> violations = new ArrayList<>();
        allowed(policies, operator, API_SERVER, 443, violations);
        allowed(policies, operator, API_SERVER, 6443, violations);
        allowed(policies, operator, scheduler, 8080, violations);
        allowed(policies, PROMETHEUS, operator, MANAGEMENT, violations);
        denied(policies, operator, context, 8081, violations);
        denied(policies, operator, issuer, 8082, violations);
        denied(policies, operator, KAFKA, 9093, violations);
        denied(policies, operator, POSTGRES, 5432, violations);
        denied(policies, operator, scheduler, MANAGEMENT, violations);
        denied(policies, operator, OTHER_NAMESPACE, 80, violations);
        for (Pod caller : List.of(OTHER_NAMESPACE, JOB_POD, scheduler, context)) {
            denied(policies, caller, operator, MANAGEMENT, violations);
        }
        assertNoViolations(violations);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void jobPodsReachContextIssuerAndSchedulerAndNothingElseOfKeyless(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        NetworkPolicies policies = new NetworkPolicies(manifests);
        Pod operator = pod(manifests, "keyless-operator");
        Pod scheduler = pod(manifests, "scheduler-service");
        Pod context = pod(manifests, "context-service");
        Pod issuer = pod(manifests, "issuer-service");
        List<String> violations = new ArrayList<>();
        allowed(policies, JOB_POD, context, 8081, violations);
        allowed(policies, JOB_POD, issuer, 8082, violations);
        allowed(policies, JOB_POD, scheduler, 8080, violations);
        for (Pod service : List.of(scheduler, context, issuer, operator)) {
            denied(policies, JOB_POD, service, MANAGEMENT, violations);
        }
        denied(policies, JOB_POD, KAFKA, 9093, violations);
        denied(policies, JOB_POD, POSTGRES, 5432, violations);
        denied(policies, JOB_POD, JOB_POD, 8080, violations);
        for (Pod caller : List.of(OTHER_NAMESPACE, scheduler, context, issuer, operator)) {
            denied(policies, caller, JOB_POD, 8080, violations);
        }
        assertNoViolations(violations);
    }

    private static void allowed(NetworkPolicies policies, Pod from, Pod to, int port, List<String> violations) {
        if (!policies.allows(from, to, port)) {
            violations.add("NetworkPolicies block " + from + " -> " + to + ":" + port);
        }
    }

    private static void denied(NetworkPolicies policies, Pod from, Pod to, int port, List<String> violations) {
        if (policies.allows(from, to, port)) {
            violations.add("NetworkPolicies allow " + from + " -> " + to + ":" + port);
        }
    }

    private static Manifest deployment(List<Manifest> manifests, String name) {
        return manifests.stream()
                .filter(m -> m.is("Deployment", name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(manifests.get(0).overlay() + ": no Deployment " + name));
    }

    private static Pod pod(List<Manifest> manifests, String name) {
        Manifest deployment = deployment(manifests, name);
        Map<String, Integer> ports = new HashMap<>();
        deployment.podSpec().path("containers").forEach(c -> c.path("ports")
                .forEach(p -> ports.put(
                        p.path("name").asText(), p.path("containerPort").asInt())));
        return new Pod(
                name,
                NS,
                NS_LABELS,
                Manifest.labels(
                        deployment.spec().path("template").path("metadata").path("labels")),
                ports);
    }
}
