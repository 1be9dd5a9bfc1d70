package dev.keyless.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every overlay renders, and its workloads, Secrets and availability objects follow the operating rules. */
class RenderedManifestsTest {

    static final List<String> SERVICES = List.of("scheduler-service", "context-service", "issuer-service");
    static final List<String> SCALED_SERVICES = List.of("context-service", "issuer-service");

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    static void assertNoViolations(List<String> violations) {
        assertTrue(
                violations.isEmpty(), () -> violations.size() + " violation(s):\n  " + String.join("\n  ", violations));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasADeploymentAndAService(String overlay) {
        List<Manifest> manifests = Kustomize.render(overlay);
        for (String service : SERVICES) {
            assertTrue(
                    manifests.stream().anyMatch(m -> m.is("Deployment", service)),
                    overlay + ": no Deployment " + service);
            assertTrue(manifests.stream().anyMatch(m -> m.is("Service", service)), overlay + ": no Service " + service);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasStartupLivenessAndReadinessProbesOnQuarkusHealth(String overlay) {
        assertNoViolations(WorkloadRules.probes(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasResourceRequestsAndLimits(String overlay) {
        assertNoViolations(WorkloadRules.resources(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerRunsWithTheRestrictedSecurityContext(String overlay) {
        assertNoViolations(WorkloadRules.securityContext(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageIsPinned(String overlay) {
        assertNoViolations(WorkloadRules.pinnedImages(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void noSecretCarriesValues(String overlay) {
        assertNoViolations(WorkloadRules.noSecretValues(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectLandsInTheKeylessNamespace(String overlay) {
        assertNoViolations(WorkloadRules.namespaced(Kustomize.render(overlay), "keyless"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyConfigMapAWorkloadReadsIsRendered(String overlay) {
        assertNoViolations(WorkloadRules.configMapReferences(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceReachesThePodsAndApiPortsOfAWorkloadAndNeverTheManagementPort(String overlay) {
        assertNoViolations(WorkloadRules.serviceTargets(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDeploymentHasAPodDisruptionBudget(String overlay) {
        assertNoViolations(WorkloadRules.disruptionBudgets(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void issuerAndContextServicesAutoscale(String overlay) {
        assertNoViolations(WorkloadRules.autoscalers(Kustomize.render(overlay), SCALED_SERVICES, 1));
    }

    @Test
    void productionRunsAtLeastTwoReplicasOfEveryServiceAndAutoscalesFromTwo() {
        List<Manifest> prod = Kustomize.render("prod");
        assertNoViolations(WorkloadRules.replicas(prod, SERVICES, 2));
        assertNoViolations(WorkloadRules.autoscalers(prod, SCALED_SERVICES, 2));
    }
}
