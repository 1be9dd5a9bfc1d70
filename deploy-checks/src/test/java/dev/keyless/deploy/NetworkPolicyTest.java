package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.deploy.NetworkPolicies.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.keyless.deploy.RenderedManifestsTest.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NetworkPolicies allow exactly the calls the design needs. Service pods are taken from the rendered
 * Deployments; the other parties are modelled with the labels the policies and the deployment guide name.
 */
class NetworkPolicyTest {

    private static final String NS = "keyless";
    private static final Map<String, String> NS_LABELS = Map.of("kubernetes.io/metadata.name", NS);

    private static final Pod KAFKA = new Pod(
            "a Kafka broker",
            NS,
            NS_LABELS,
            Map.of(
                    "strimzi.io/cluster",
                    "keyless-kafka",
                    "strimzi.io/kind",
                    "Kafka",
                    "strimzi.io/name",
                    "keyless-kafka-kafka",
                    "strimzi.io/pool-name",
                    "dual-role",
                    "strimzi.io/broker-role",
                    "true",
                    "strimzi.io/controller-role",
                    "true"));
    private static final Pod POSTGRES = new Pod(
            "a PostgreSQL instance",
            NS,
            NS_LABELS,
            Map.of(
                    "cnpg.io/cluster",
                    "keyless-postgres",
                    "cnpg.io/podRole",
                    "instance",
                    "cnpg.io/instanceRole",
                    "primary"));
    private static final Pod DNS = new Pod(
            "kube-dns",
            "kube-system",
            Map.of("kubernetes.io/metadata.name", "kube-system"),
            Map.of("k8s-app", "kube-dns"));
    private static final Pod INGRESS_CONTROLLER = new Pod(
            "the ingress controller",
            "ingress-nginx",
            Map.of("kubernetes.io/metadata.name", "ingress-nginx"),
            Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller"));
    private static final Pod EXECUTOR = new Pod(
            "an executor",
            "ci-jobs",
            Map.of("kubernetes.io/metadata.name", "ci-jobs", "keyless.dev/executors", "true"),
            Map.of("app", "runner"));
    private static final Pod API_CLIENT = new Pod(
            "an API client",
            "platform-gateway",
            Map.of("kubernetes.io/metadata.name", "platform-gateway", "keyless.dev/api-clients", "true"),
            Map.of("app", "gateway"));
    private static final int MANAGEMENT = WorkloadRules.MANAGEMENT_PORT;
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
    private static final Pod OTHER_IN_NAMESPACE =
            new Pod("a stray pod in the keyless namespace", NS, NS_LABELS, Map.of("app", "debug"));
    private static final Pod INTERNET = new Pod(
            "an outside server",
            "internet",
            Map.of("kubernetes.io/metadata.name", "internet"),
            Map.of("app", "anything"));

    record Flow(Pod from, Pod to, int port) {
        @Override
        public String toString() {
            return from + " -> " + to + ":" + port;
        }
    }

    /** The rendered policies of one overlay and the three service pods of its Deployments. */
    record Cluster(String overlay, NetworkPolicies policies, Pod scheduler, Pod context, Pod issuer) {

        static Cluster of(String overlay) {
            List<Manifest> manifests = Kustomize.render(overlay);
            return new Cluster(
                    overlay,
                    new NetworkPolicies(manifests),
                    service(manifests, "scheduler-service", 8080),
                    service(manifests, "context-service", 8081),
                    service(manifests, "issuer-service", 8082));
        }

        /** The flows whose outcome differs from {@code mustBeDenied}, each named. */
        List<String> violations(List<Flow> flows, boolean mustBeDenied) {
            return flows.stream()
                    .filter(f -> policies.allows(f.from(), f.to(), f.port()) == mustBeDenied)
                    .map(f -> overlay + ": NetworkPolicies " + (mustBeDenied ? "allow " : "block ") + f)
                    .toList();
        }
    }

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    private static Pod service(List<Manifest> manifests, String name, int port) {
        Manifest deployment = manifests.stream()
                .filter(m -> m.is("Deployment", name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(manifests.get(0).overlay() + ": no Deployment " + name));
        Map<String, Integer> namedPorts = new HashMap<>();
        for (JsonNode container : WorkloadRules.elements(deployment.podSpec().path("containers"))) {
            for (JsonNode declared : WorkloadRules.elements(container.path("ports"))) {
                namedPorts.put(
                        declared.path("name").asText(),
                        declared.path("containerPort").asInt());
            }
        }
        assertEquals(port, namedPorts.get("http"), name + ": API port");
        assertEquals(
                WorkloadRules.MANAGEMENT_PORT,
                namedPorts.get(WorkloadRules.MANAGEMENT_PORT_NAME),
                name + ": management port");
        return new Pod(
                name,
                deployment.namespace(),
                NS_LABELS,
                Manifest.labels(
                        deployment.spec().path("template").path("metadata").path("labels")),
                namedPorts);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodInTheNamespaceDeniesIngressByDefault(String overlay) {
        NetworkPolicies policies = new NetworkPolicies(Kustomize.render(overlay));
        List<String> violations = new ArrayList<>();
        for (Pod stray : List.of(OTHER_IN_NAMESPACE, OTHER_NAMESPACE)) {
            Pod target = new Pod("an unlabelled pod in keyless", NS, NS_LABELS, Map.of("app", "new-thing"));
            if (policies.allows(stray, target, 8080)) {
                violations.add(overlay + ": " + stray + " reaches " + target + " (no default deny)");
            }
        }
        assertNoViolations(violations);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theCallsTheDesignNeedsAreAllowed(String overlay) {
        Cluster cluster = Cluster.of(overlay);
        Pod scheduler = cluster.scheduler();
        Pod context = cluster.context();
        Pod issuer = cluster.issuer();
        List<Flow> needed = new ArrayList<>(List.of(
                new Flow(INGRESS_CONTROLLER, issuer, 8082),
                new Flow(context, issuer, 8082),
                new Flow(issuer, context, 8081),
                new Flow(EXECUTOR, scheduler, 8080),
                new Flow(EXECUTOR, context, 8081),
                new Flow(EXECUTOR, issuer, 8082),
                new Flow(API_CLIENT, scheduler, 8080),
                new Flow(API_CLIENT, context, 8081),
                new Flow(API_CLIENT, issuer, 8082),
                new Flow(PROMETHEUS, scheduler, MANAGEMENT),
                new Flow(PROMETHEUS, context, MANAGEMENT),
                new Flow(PROMETHEUS, issuer, MANAGEMENT)));
        for (Pod service : List.of(scheduler, context, issuer)) {
            needed.add(new Flow(service, KAFKA, 9093));
            needed.add(new Flow(service, POSTGRES, 5432));
            needed.add(new Flow(service, DNS, 53));
        }
        assertNoViolations(cluster.violations(needed, false));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOtherCallIsDenied(String overlay) {
        Cluster cluster = Cluster.of(overlay);
        Pod scheduler = cluster.scheduler();
        Pod context = cluster.context();
        Pod issuer = cluster.issuer();
        List<Flow> forbidden = new ArrayList<>(List.of(
                // the ingress controller reaches the public issuer only
                new Flow(INGRESS_CONTROLLER, scheduler, 8080),
                new Flow(INGRESS_CONTROLLER, context, 8081),
                // context-service and issuer-service call each other's API; the scheduler calls neither
                new Flow(scheduler, issuer, 8082),
                new Flow(scheduler, context, 8081),
                new Flow(issuer, context, MANAGEMENT),
                new Flow(context, scheduler, 8080),
                new Flow(issuer, scheduler, 8080),
                // executors and API clients never touch the data stores
                new Flow(EXECUTOR, KAFKA, 9093),
                new Flow(EXECUTOR, POSTGRES, 5432),
                new Flow(API_CLIENT, KAFKA, 9093),
                new Flow(API_CLIENT, POSTGRES, 5432),
                new Flow(INGRESS_CONTROLLER, KAFKA, 9093),
                new Flow(INGRESS_CONTROLLER, POSTGRES, 5432),
                // Prometheus scrapes the management port and never calls an API
                new Flow(PROMETHEUS, scheduler, 8080),
                new Flow(PROMETHEUS, context, 8081),
                new Flow(PROMETHEUS, issuer, 8082)));
        for (Pod target : List.of(scheduler, context, issuer)) {
            // health, metrics and OpenAPI are for the kubelet and Prometheus, not for callers of the APIs
            for (Pod caller : List.of(EXECUTOR, API_CLIENT, INGRESS_CONTROLLER, OTHER_NAMESPACE, OTHER_IN_NAMESPACE)) {
                forbidden.add(new Flow(caller, target, target.namedPorts().get(WorkloadRules.MANAGEMENT_PORT_NAME)));
            }
        }
        forbidden.add(new Flow(context, issuer, MANAGEMENT));
        for (Pod stranger : List.of(OTHER_NAMESPACE, OTHER_IN_NAMESPACE)) {
            for (Pod target : List.of(scheduler, context, issuer)) {
                forbidden.add(new Flow(stranger, target, target.namedPorts().get("http")));
            }
            forbidden.add(new Flow(stranger, KAFKA, 9093));
            forbidden.add(new Flow(stranger, POSTGRES, 5432));
        }
        for (Pod service : List.of(scheduler, context, issuer)) {
            // no exfiltration: the services reach nothing outside the design
            forbidden.add(new Flow(service, INTERNET, 443));
            forbidden.add(new Flow(service, OTHER_NAMESPACE, 80));
            forbidden.add(new Flow(service, KAFKA, 9091));
            forbidden.add(new Flow(service, POSTGRES, 8000));
        }
        assertNoViolations(cluster.violations(forbidden, true));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theServicePodsDenyEgressByDefault(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        boolean denyEgress = WorkloadRules.ofKind(manifests, "NetworkPolicy").stream()
                .anyMatch(p -> p.spec().path("policyTypes").toString().contains("Egress")
                        && p.spec().path("egress").isEmpty()
                        && RenderedManifestsTest.SERVICES.stream()
                                .allMatch(s -> Selectors.matches(
                                        p.spec().path("podSelector"),
                                        Manifest.labels(manifests.stream()
                                                .filter(m -> m.is("Deployment", s))
                                                .findFirst()
                                                .orElseThrow()
                                                .spec()
                                                .path("template")
                                                .path("metadata")
                                                .path("labels")))));
        assertTrue(denyEgress, overlay + ": no NetworkPolicy denies egress for all three services by default");
    }
}
