package dev.keyless.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Secrets the workloads read are not in the repository, so the deployment guide must name every one. */
class SecretsDocumentedTest {

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySecretAWorkloadReadsIsListedInTheDeploymentGuide(String overlay) throws IOException {
        String guide = Files.readString(Kustomize.kubernetesDir().resolve("README.md"));
        Set<String> secrets = WorkloadRules.referencedSecrets(Kustomize.render(overlay));
        assertFalse(secrets.isEmpty(), overlay + ": the workloads read no Secret at all");
        List<String> missing = secrets.stream().filter(s -> !guide.contains("`" + s + "`")).toList();
        assertTrue(missing.isEmpty(), overlay + ": Secrets read by the workloads but not listed in deploy/kubernetes/README.md: " + missing);
    }
}
