package dev.keyless.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.keyless.deploy.RenderedManifestsTest.assertNoViolations;

/** The Ingress publishes discovery and JWKS of every org, and nothing internal, admin or operational. */
class IngressExposureTest {

    /** Org ids are UUIDs; upper case too, since nginx matches regex locations case-insensitively. */
    static final List<String> ORGS = List.of(
            "3f2b6c1e-8a4d-4c6b-9f0e-2d7a1b5c9e40",
            "00000000-0000-0000-0000-000000000000",
            "ABCDEF01-2345-4678-9ABC-DEF012345678");

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void ingressRulesHaveExactTlsHostsAndOnlyTheIssuerAsBackend(String overlay) {
        assertNoViolations(IngressRules.structure(Kustomize.render(overlay)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyDiscoveryAndJwksAreReachableFromOutside(String overlay) {
        assertNoViolations(IngressRules.exposure(Kustomize.render(overlay), ORGS));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theIssuerBaseUrlIsServedByTheIngressHost(String overlay) {
        assertNoViolations(IngressRules.issuerBaseUrl(Kustomize.render(overlay)));
    }
}
