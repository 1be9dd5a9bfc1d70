package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.keyless.deploy.RenderedManifestsTest.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests, the services and the documentation agree: every Secret the workloads read is in the deployment
 * guide, every variable they set is in the Configuration section of README.md, and every Keyless variable names a
 * property the service really reads.
 */
class DeploymentDocsTest {

    /** Deployments not named after their module. */
    private static final Map<String, String> MODULES = Map.of("keyless-operator", "operator");

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySecretAWorkloadReadsIsListedInTheDeploymentGuide(String overlay) throws IOException {
        String guide = Files.readString(Kustomize.kubernetesDir().resolve("README.md"));
        Set<String> secrets = WorkloadRules.referencedSecrets(Kustomize.render(overlay));
        assertFalse(secrets.isEmpty(), overlay + ": the workloads read no Secret at all");
        List<String> missing =
                secrets.stream().filter(s -> !guide.contains("`" + s + "`")).toList();
        assertTrue(
                missing.isEmpty(),
                overlay + ": Secrets read by the workloads but not listed in deploy/kubernetes/README.md: " + missing);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableTheWorkloadsSetIsDocumented(String overlay) throws IOException {
        String doc = Files.readString(Kustomize.repoRoot().resolve("README.md"));
        List<String> violations = variablesByDeployment(Kustomize.render(overlay)).entrySet().stream()
                .flatMap(e -> e.getValue().stream()
                        .filter(v -> !doc.contains("`" + v + "`"))
                        .map(v -> overlay + ": Deployment " + e.getKey() + " sets " + v + ", not in README.md"))
                .toList();
        assertNoViolations(violations);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyKeylessVariableNamesAPropertyOfTheService(String overlay) throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry :
                variablesByDeployment(Kustomize.render(overlay)).entrySet()) {
            Path properties = Kustomize.repoRoot()
                    .resolve(MODULES.getOrDefault(entry.getKey(), entry.getKey()))
                    .resolve("src/main/resources/application.properties");
            Set<String> known = Files.readAllLines(properties).stream()
                    .map(String::strip)
                    .filter(l -> !l.startsWith("#") && l.contains("="))
                    .map(l -> l.substring(0, l.indexOf('=')).strip().replaceFirst("^%[\\w-]+\\.", ""))
                    .map(DeploymentDocsTest::environmentName)
                    .collect(Collectors.toSet());
            entry.getValue().stream()
                    .filter(v -> v.startsWith("KEYLESS_") && !known.contains(v))
                    .forEach(v -> violations.add(overlay + ": Deployment " + entry.getKey() + " sets " + v + ", but "
                            + Kustomize.repoRoot().relativize(properties) + " has no such property"));
        }
        assertNoViolations(violations);
    }

    /** The MicroProfile Config environment form of a property name. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Per Deployment: the variables set by env entries and by the data keys of the ConfigMaps it loads. */
    private static Map<String, Set<String>> variablesByDeployment(List<Manifest> manifests) {
        Map<String, JsonNode> configMaps = new TreeMap<>();
        WorkloadRules.ofKind(manifests, "ConfigMap")
                .forEach(c -> configMaps.put(c.name(), c.body().path("data")));
        Map<String, Set<String>> variables = new TreeMap<>();
        for (Manifest deployment : WorkloadRules.ofKind(manifests, "Deployment")) {
            Set<String> names = variables.computeIfAbsent(deployment.name(), n -> new TreeSet<>());
            for (JsonNode container : deployment.podSpec().path("containers")) {
                container.path("env").forEach(e -> names.add(e.path("name").asText()));
                container.path("envFrom").forEach(e -> configMaps
                        .getOrDefault(e.path("configMapRef").path("name").asText(), MissingNode.getInstance())
                        .fieldNames()
                        .forEachRemaining(names::add));
            }
        }
        return variables;
    }
}
