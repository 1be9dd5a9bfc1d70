package dev.keyless.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules reject hostile manifests, naming the object, so a green run means the overlays really comply. */
class RulesCatchViolationsTest {

    private static final String CARELESS_DEPLOYMENT =
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: careless
              namespace: keyless
            spec:
              replicas: 1
              template:
                metadata:
                  labels: {app.kubernetes.io/name: careless}
                spec:
                  containers:
                    - name: app
                      image: keyless/careless:latest
                      livenessProbe:
                        httpGet: {path: /q/health/ready, port: 8080}
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: 8080}
                      resources:
                        requests: {cpu: 100m}
                      securityContext:
                        capabilities:
                          add: [NET_ADMIN]
                    - name: sidecar
                      image: keyless/sidecar
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: misrouted
              namespace: keyless
            spec:
              selector: {app.kubernetes.io/name: careless}
              ports:
                - {name: http, port: 80, targetPort: http}
                - {name: metrics, port: 9000, targetPort: management}
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: committed
              namespace: keyless
            stringData:
              token: hunter2
            """;

    private static final String OPEN_INGRESS =
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: too-wide
              namespace: keyless
            spec:
              rules:
                - host: oidc.example.com
                  http:
                    paths:
                      - path: /org
                        pathType: Prefix
                        backend:
                          service: {name: issuer-service, port: {name: http}}
            """;

    private static final String UNANCHORED_REGEX_INGRESS =
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: unanchored
              namespace: keyless
              annotations:
                nginx.ingress.kubernetes.io/use-regex: "true"
            spec:
              tls:
                - hosts: [oidc.example.com]
              rules:
                - host: oidc.example.com
                  http:
                    paths:
                      - path: /org/[^/]+/\\.well-known/(openid-configuration|jwks-pub\\.json)
                        pathType: ImplementationSpecific
                        backend:
                          service: {name: issuer-service, port: {name: http}}
            """;

    private static final String ALLOW_ALL_POLICY =
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-everything
              namespace: keyless
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
                - {}
            """;

    private static List<Manifest> parse(String yaml) {
        return Manifest.parseAll("fixture", yaml);
    }

    private static void assertCaught(List<String> violations, String expected) {
        assertTrue(
                violations.stream().anyMatch(v -> v.contains(expected)),
                () -> "expected a violation mentioning '" + expected + "', got " + violations);
    }

    @Test
    void aContainerWithoutProbesLimitsOrSecurityContextIsReported() {
        List<Manifest> manifests = parse(CARELESS_DEPLOYMENT);
        String app = "fixture: Deployment keyless/careless container app";
        assertCaught(WorkloadRules.probes(manifests), app + ": no startupProbe");
        assertCaught(WorkloadRules.probes(manifests), app + ": livenessProbe must be an HTTP GET on /q/health/live");
        assertCaught(WorkloadRules.probes(manifests), app + ": readinessProbe must call the management port");
        assertCaught(WorkloadRules.resources(manifests), app + ": no resources.limits.memory");
        assertCaught(WorkloadRules.securityContext(manifests), app + ": runAsNonRoot is not true");
        assertCaught(WorkloadRules.securityContext(manifests), app + ": readOnlyRootFilesystem is not true");
        assertCaught(WorkloadRules.securityContext(manifests), app + ": capabilities.drop does not contain ALL");
        assertCaught(WorkloadRules.securityContext(manifests), app + ": adds capabilities");
        assertCaught(WorkloadRules.securityContext(manifests), app + ": seccompProfile is not RuntimeDefault");
        assertCaught(WorkloadRules.securityContext(manifests), app + ": no emptyDir mounted on /tmp");
        assertCaught(
                WorkloadRules.serviceTargets(manifests),
                "fixture: Service keyless/misrouted: targetPort http is not a port of");
        assertCaught(
                WorkloadRules.serviceTargets(manifests),
                "fixture: Service keyless/misrouted: exposes the management port");
        assertCaught(
                WorkloadRules.disruptionBudgets(manifests),
                "fixture: Deployment keyless/careless: no PodDisruptionBudget");
        assertCaught(
                WorkloadRules.autoscalers(manifests, List.of("careless"), 2),
                "Deployment careless has no HorizontalPodAutoscaler");
        assertCaught(WorkloadRules.replicas(manifests, List.of("careless"), 2), "keyless/careless: 1 replicas");
        assertCaught(
                WorkloadRules.securityContext(manifests),
                "fixture: Deployment keyless/careless: automountServiceAccountToken must be false");
    }

    @Test
    void latestAndMissingImageTagsAreReported() {
        List<String> violations = WorkloadRules.pinnedImages(parse(CARELESS_DEPLOYMENT));
        assertCaught(violations, "container app: image 'keyless/careless:latest'");
        assertCaught(violations, "container sidecar: image 'keyless/sidecar'");
        assertTrue(WorkloadRules.pinned("registry.local:5000/keyless/issuer-service:0.1.0"));
        assertFalse(WorkloadRules.pinned("registry.local:5000/keyless/issuer-service"));
        assertTrue(WorkloadRules.pinned("keyless/issuer-service@sha256:" + "a".repeat(64)));
    }

    @Test
    void aSecretWithValuesIsReported() {
        assertCaught(
                WorkloadRules.noSecretValues(parse(CARELESS_DEPLOYMENT)),
                "fixture: Secret keyless/committed: carries stringData");
    }

    @Test
    void aPrefixRuleOnOrgExposesInternalPathsAndIsReported() {
        List<Manifest> manifests = parse(OPEN_INGRESS);
        List<String> violations = IngressRules.exposure(manifests, List.of("3f2b6c1e-8a4d-4c6b-9f0e-2d7a1b5c9e40"));
        assertCaught(
                violations,
                "fixture: Ingress keyless/too-wide: exposes /org/3f2b6c1e-8a4d-4c6b-9f0e-2d7a1b5c9e40/api/v1/admin/keys");
        assertCaught(IngressRules.structure(manifests), "host oidc.example.com is not covered by spec.tls");
    }

    @Test
    void aRegexWithoutEndAnchorIsReported() {
        List<String> violations =
                IngressRules.exposure(parse(UNANCHORED_REGEX_INGRESS), List.of("3f2b6c1e-8a4d-4c6b-9f0e-2d7a1b5c9e40"));
        assertCaught(violations, "exposes /org/3f2b6c1e-8a4d-4c6b-9f0e-2d7a1b5c9e40/.well-known/jwks-pub.jsonx");
        assertCaught(
                violations, "exposes /org/3f2b6c1e-8a4d-4c6b-9f0e-2d7a1b5c9e40/.well-known/openid-configuration/extra");
    }

    @Test
    void anAllowAllIngressPolicyLetsStrangersIn() {
        NetworkPolicies policies = new NetworkPolicies(parse(ALLOW_ALL_POLICY));
        var stranger = new NetworkPolicies.Pod(
                "stranger", "default", Map.of("kubernetes.io/metadata.name", "default"), Map.of());
        var issuer = new NetworkPolicies.Pod(
                "issuer",
                "keyless",
                Map.of("kubernetes.io/metadata.name", "keyless"),
                Map.of("app.kubernetes.io/name", "issuer-service"));
        assertTrue(policies.allows(stranger, issuer, 8082));
        assertEquals(List.of(), WorkloadRules.namespaced(parse(ALLOW_ALL_POLICY), "keyless"));
    }
}
