package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.keyless.deploy.RenderedManifestsTest.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka comes from Strimzi (KRaft, node pools, declared topics) and PostgreSQL from CloudNativePG. */
class InfrastructureTest {

    /** The event topics of event-contracts and the dead-letter topics of the consumers' channels. */
    static final List<String> TOPICS = List.of(
            Topics.JOB_LIFECYCLE,
            Topics.JOB_CONTEXTS,
            "dead-letter-topic-job-lifecycle",
            "dead-letter-topic-job-contexts");

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    private static Optional<Manifest> find(List<Manifest> manifests, String kind, String name) {
        return manifests.stream().filter(m -> m.is(kind, name)).findFirst();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaRunsInKraftModeWithANodePoolAndAuthenticatedTlsListeners(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        List<String> violations = new ArrayList<>();
        Optional<Manifest> kafka =
                WorkloadRules.ofKind(manifests, "Kafka").stream().findFirst();
        if (kafka.isEmpty()) {
            violations.add(overlay + ": no Strimzi Kafka");
        } else {
            JsonNode spec = kafka.get().spec();
            if (spec.has("zookeeper")) {
                violations.add(kafka.get().id() + ": uses ZooKeeper instead of KRaft");
            }
            if (!kafka.get()
                    .body()
                    .path("metadata")
                    .path("annotations")
                    .path("strimzi.io/node-pools")
                    .asText()
                    .equals("enabled")) {
                violations.add(kafka.get().id() + ": node pools are not enabled");
            }
            for (JsonNode listener : spec.path("kafka").path("listeners")) {
                if (!listener.path("tls").asBoolean(false)
                        || listener.path("authentication")
                                .path("type")
                                .asText("")
                                .isEmpty()) {
                    violations.add(kafka.get().id() + ": listener "
                            + listener.path("name").asText() + " lacks TLS or authentication");
                }
            }
            if (spec.path("kafka")
                    .path("config")
                    .path("auto.create.topics.enable")
                    .asBoolean(true)) {
                violations.add(kafka.get().id() + ": auto.create.topics.enable must be false; topics are declared");
            }
        }
        boolean pool = WorkloadRules.ofKind(manifests, "KafkaNodePool").stream()
                .anyMatch(p -> p.spec().path("roles").toString().contains("controller")
                                && p.spec().path("roles").toString().contains("broker")
                        || p.spec().path("roles").toString().contains("controller"));
        if (!pool) {
            violations.add(overlay + ": no KafkaNodePool with the KRaft controller role");
        }
        assertNoViolations(violations);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyTopicTheEventsUseIsDeclaredWithPartitionsAndRetention(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        List<String> violations = new ArrayList<>();
        for (String topic : TOPICS) {
            Optional<Manifest> found = WorkloadRules.ofKind(manifests, "KafkaTopic").stream()
                    .filter(t -> t.spec().path("topicName").asText(t.name()).equals(topic))
                    .findFirst();
            if (found.isEmpty()) {
                violations.add(overlay + ": no KafkaTopic " + topic);
                continue;
            }
            JsonNode spec = found.get().spec();
            if (spec.path("partitions").asInt(0) < 1 || spec.path("replicas").asInt(0) < 1) {
                violations.add(found.get().id() + ": partitions and replicas must be set");
            }
            if (spec.path("config").path("retention.ms").asLong(0) < 86_400_000L) {
                violations.add(
                        found.get().id() + ": retention.ms must keep events at least a day for lagging consumers");
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void productionKafkaReplicatesEveryTopicAndSurvivesOneBrokerLoss() {
        List<Manifest> prod = Kustomize.render("prod");
        List<String> violations = new ArrayList<>();
        int brokers = WorkloadRules.ofKind(prod, "KafkaNodePool").stream()
                .mapToInt(p -> p.spec().path("replicas").asInt(0))
                .sum();
        if (brokers < 3) {
            violations.add("prod: " + brokers + " Kafka nodes, needs at least 3");
        }
        for (Manifest topic : WorkloadRules.ofKind(prod, "KafkaTopic")) {
            if (topic.spec().path("replicas").asInt(0) < 3
                    || topic.spec().path("config").path("min.insync.replicas").asInt(1) < 2) {
                violations.add(topic.id() + ": needs replicas >= 3 and min.insync.replicas >= 2");
            }
        }
        assertNoViolations(violations);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void postgresqlIsACloudNativePgClusterWithOneDatabasePerService(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        List<Manifest> clusters = WorkloadRules.ofKind(manifests, "Cluster").stream()
                .filter(c -> c.body().path("apiVersion").asText().startsWith("postgresql.cnpg.io/"))
                .toList();
        assertTrue(clusters.size() == 1, overlay + ": expected one CloudNativePG Cluster, found " + clusters.size());
        Manifest cluster = clusters.get(0);
        List<String> violations = new ArrayList<>();
        for (String database : List.of("scheduler", "context", "issuer")) {
            boolean declared = WorkloadRules.ofKind(manifests, "Database").stream()
                    .anyMatch(d -> d.spec().path("name").asText().equals(database)
                            && d.spec().path("owner").asText().equals(database)
                            && d.spec().path("cluster").path("name").asText().equals(cluster.name()));
            if (!declared) {
                violations.add(
                        overlay + ": no Database " + database + " owned by role " + database + " in " + cluster.name());
            }
            boolean role = WorkloadRules.elements(cluster.spec().path("managed").path("roles")).stream()
                    .anyMatch(r -> r.path("name").asText().equals(database)
                            && r.path("passwordSecret").has("name"));
            if (!role) {
                violations.add(cluster.id() + ": no managed role " + database + " with a password Secret");
            }
        }
        if (find(manifests, "Cluster", cluster.name()).isPresent()
                && overlay.equals("prod")
                && cluster.spec().path("instances").asInt(1) < 3) {
            violations.add(cluster.id() + ": production needs 3 instances");
        }
        assertNoViolations(violations);
    }
}
