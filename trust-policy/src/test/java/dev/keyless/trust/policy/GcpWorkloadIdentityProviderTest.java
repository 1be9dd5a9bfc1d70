package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static dev.keyless.trust.policy.Fixtures.CONTEXT;
import static dev.keyless.trust.policy.Fixtures.ISSUER;
import static dev.keyless.trust.policy.Fixtures.NS;
import static dev.keyless.trust.policy.Fixtures.ORG;
import static dev.keyless.trust.policy.Fixtures.json;
import static dev.keyless.trust.policy.Fixtures.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GCP workload identity provider evaluation. Sources:
 * [MAP] Google Cloud IAM, "Workload Identity Federation", Attribute mappings
 * (cloud.google.com/iam/docs/workload-identity-federation#mapping): CEL over {@code assertion}, google.subject
 * required, at most 127 bytes, the extract() function;
 * [COND] same page, Attribute conditions (#conditions): CEL over assertion, google, attribute; must be true;
 * [AUD] "Configure Workload Identity Federation with other identity providers"
 * (cloud.google.com/iam/docs/workload-identity-federation-with-other-providers): allowed audiences, or by default
 * the provider's full resource name with the https: prefix.
 */
class GcpWorkloadIdentityProviderTest {

    static final String PROVIDER_NAME = "projects/123456/locations/global/workloadIdentityPools/ci/providers/keyless";
    static final String MAIN = "refs/heads/main";

    record Case(
            String source,
            String behaviour,
            Map<String, String> mapping,
            String condition,
            String audiences,
            Map<String, Object> claims,
            boolean allowed) {
        @Override
        public String toString() {
            return behaviour;
        }
    }

    static Stream<Case> cases() {
        // a default V2 sub (three UUIDs, origin, ref) is always over 127 bytes: these cases map the project id
        Map<String, String> subject = Map.of("google.subject", "assertion['" + NS + "/project-id']");
        String aud = "['" + ORG + "']";
        String ref = "assertion['" + NS + "/vcs-ref']";
        return Stream.of(
                new Case(
                        "[COND]",
                        "a true condition on a namespaced claim allows",
                        subject,
                        ref + " == 'refs/heads/main'",
                        aud,
                        v2(MAIN),
                        true),
                new Case(
                        "[COND]",
                        "a false condition denies",
                        subject,
                        ref + " == 'refs/heads/main'",
                        aud,
                        v2("refs/heads/pull/7"),
                        false),
                new Case(
                        "[COND] conditions may use startsWith",
                        "startsWith over the ref allows a release branch",
                        subject,
                        ref + ".startsWith('refs/heads/release/')",
                        aud,
                        v2("refs/heads/release/1.2"),
                        true),
                new Case(
                        "[COND] multi-valued claims",
                        "'in' over the context-ids array allows",
                        subject,
                        "'" + CONTEXT + "' in assertion['" + NS + "/context-ids']",
                        aud,
                        v2(MAIN),
                        true),
                new Case(
                        "[COND] conditions may read mapped attributes",
                        "a condition over attribute.* allows",
                        Map.of("google.subject", "assertion['" + NS + "/project-id']", "attribute.ref", ref),
                        "attribute.ref == 'refs/heads/main'",
                        aud,
                        v2(MAIN),
                        true),
                new Case(
                        "[MAP] extract()",
                        "extract() pulls the repository out of the origin",
                        Map.of(
                                "google.subject",
                                "assertion['" + NS + "/project-id']",
                                "attribute.repo",
                                "assertion['" + NS + "/vcs-origin'].extract('github.com/{repo}')"),
                        "attribute.repo == 'acme/app'",
                        aud,
                        v2(MAIN),
                        true),
                new Case(
                        "[COND] a claim missing from the assertion fails the condition",
                        "a condition on a claim Keyless never mints denies",
                        subject,
                        "assertion.repository == 'acme/app'",
                        aud,
                        v2(MAIN),
                        false),
                new Case(
                        "[AUD] aud must be an allowed audience",
                        "an aud outside allowedAudiences denies",
                        subject,
                        null,
                        "['https://example.com/other']",
                        v2(MAIN),
                        false),
                new Case(
                        "[AUD] default audience is the provider's resource name",
                        "without allowedAudiences the provider name audience allows",
                        subject,
                        null,
                        null,
                        v2("github.com/acme/app", MAIN, "https://iam.googleapis.com/" + PROVIDER_NAME),
                        true),
                new Case(
                        "[AUD] default audience is the provider's resource name",
                        "without allowedAudiences the org-id audience denies",
                        subject,
                        null,
                        null,
                        v2(MAIN),
                        false),
                new Case(
                        "[MAP] google.subject at most 127 bytes",
                        "a V2 sub over 127 bytes denies",
                        Map.of("google.subject", "assertion.sub"),
                        null,
                        aud,
                        v2("github.com/acme/a-repository-with-a-rather-long-name", MAIN),
                        false),
                new Case(
                        "[MAP] google.subject at most 127 bytes",
                        "mapping the 127-byte-safe project id allows",
                        Map.of("google.subject", "assertion['" + NS + "/project-id']"),
                        null,
                        aud,
                        v2("github.com/acme/a-repository-with-a-rather-long-name", MAIN),
                        true));
    }

    private final PolicySimulator simulator = new PolicySimulator();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void providersEvaluateAsGoogleDocuments(Case c) {
        Simulation result = simulator.simulate(
                PolicyKind.GCP, provider(c.mapping(), c.condition(), c.audiences()), c.claims(), Fixtures.IDENTITY);
        assertEquals(c.allowed(), result.allowed(), c.source() + " -> " + result);
    }

    @Test
    void anOverlongSubjectNamesTheLimitAndTheClaimThatPushesItOver() {
        Simulation result = simulator.simulate(
                PolicyKind.GCP,
                provider(Map.of("google.subject", "assertion.sub"), null, "['" + ORG + "']"),
                v2("github.com/acme/a-repository-with-a-rather-long-name", MAIN),
                Fixtures.IDENTITY);
        assertFalse(result.allowed());
        assertTrue(result.reason().contains("127") && result.reason().contains("'sub'"), result.reason());
    }

    @Test
    void aConditionOnAClaimKeylessNeverMintsIsLinted() {
        Simulation result = simulator.simulate(
                PolicyKind.GCP,
                provider(
                        Map.of("google.subject", "assertion.sub"),
                        "assertion.repository == 'acme/app'",
                        "['" + ORG + "']"),
                v2(MAIN),
                Fixtures.IDENTITY);
        assertTrue(
                result.lint().stream()
                        .anyMatch(f ->
                                f.code().equals("never_matches") && f.message().contains("repository")),
                result.lint().toString());
    }

    @Test
    void aProviderOfAnotherIssuerDenies() {
        ObjectNode provider = (ObjectNode) provider(Map.of("google.subject", "assertion.sub"), null, "['" + ORG + "']");
        ((ObjectNode) provider.get("oidc")).put("issuerUri", "https://token.actions.githubusercontent.com");
        assertFalse(simulator
                .simulate(PolicyKind.GCP, provider, v2(MAIN), Fixtures.IDENTITY)
                .allowed());
    }

    @Test
    void anInvalidCelExpressionIsAFormatError() {
        assertThrows(
                PolicyFormatException.class,
                () -> simulator.simulate(
                        PolicyKind.GCP,
                        provider(Map.of("google.subject", "assertion.sub"), "assertion.sub ==", null),
                        v2(MAIN),
                        Fixtures.IDENTITY));
    }

    static JsonNode provider(Map<String, String> mapping, String condition, String audiences) {
        ObjectNode provider = (ObjectNode) json("{'name':'" + PROVIDER_NAME + "','oidc':{'issuerUri':'" + ISSUER + "'"
                + (audiences == null ? "" : ",'allowedAudiences':" + audiences) + "}}");
        ObjectNode attributes = provider.putObject("attributeMapping");
        mapping.forEach(attributes::put);
        if (condition != null) {
            provider.put("attributeCondition", condition);
        }
        return provider;
    }
}
