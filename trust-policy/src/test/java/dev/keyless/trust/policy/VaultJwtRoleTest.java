package dev.keyless.trust.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.keyless.trust.policy.Fixtures.CONTEXT;
import static dev.keyless.trust.policy.Fixtures.NS;
import static dev.keyless.trust.policy.Fixtures.ORG;
import static dev.keyless.trust.policy.Fixtures.json;
import static dev.keyless.trust.policy.Fixtures.v2;
import static dev.keyless.trust.policy.Fixtures.v2Sub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vault JWT role evaluation. Sources:
 * [API] Vault API docs, "JWT/OIDC auth method", Create/Update Role
 * (developer.hashicorp.com/vault/api-docs/auth/jwt#create-update-role): role_type (default oidc), bound_audiences,
 * bound_subject, bound_claims, bound_claims_type (string or glob), user_claim, groups_claim, claim_mappings;
 * [BOUND] Vault docs, "JWT/OIDC auth method", Bound claims (developer.hashicorp.com/vault/docs/auth/jwt#bound-claims):
 * list values match any, glob supports *;
 * [CODE] vault-plugin-auth-jwt path_login.go / claims.go: "audience claim found in JWT but no audiences bound to the
 * role", "claim is missing", claim_mappings values must be strings.
 */
class VaultJwtRoleTest {

    static final String MAIN = "refs/heads/main";
    static final String BASE = "'role_type':'jwt','user_claim':'sub','bound_audiences':['" + ORG + "']";

    record Case(String source, String behaviour, String role, String ref, boolean allowed) {
        @Override
        public String toString() {
            return behaviour;
        }
    }

    static Stream<Case> cases() {
        String ref = NS + "/vcs-ref";
        return Stream.of(
                new Case(
                        "[API]",
                        "bound audience and exact bound_subject allow",
                        "{" + BASE + ",'bound_subject':'" + v2Sub("github.com/acme/app", MAIN) + "'}",
                        MAIN,
                        true),
                new Case(
                        "[API] bound_subject is an exact match",
                        "a bound_subject of another branch denies",
                        "{" + BASE + ",'bound_subject':'" + v2Sub("github.com/acme/app", MAIN) + "'}",
                        "refs/heads/pull/3",
                        false),
                new Case(
                        "[CODE] a token with aud needs bound_audiences",
                        "no bound_audiences denies",
                        "{'role_type':'jwt','user_claim':'sub'}",
                        MAIN,
                        false),
                new Case(
                        "[API] bound_audiences: any match",
                        "an aud not among bound_audiences denies",
                        "{'role_type':'jwt','user_claim':'sub','bound_audiences':'vault.example.com'}",
                        MAIN,
                        false),
                new Case(
                        "[API] role_type defaults to oidc",
                        "a role without role_type refuses JWT login",
                        "{'user_claim':'sub','bound_audiences':['" + ORG + "']}",
                        MAIN,
                        false),
                new Case(
                        "[BOUND] string match",
                        "bound_claims string equal to the ref allows",
                        "{" + BASE + ",'bound_claims':{'" + ref + "':'" + MAIN + "'}}",
                        MAIN,
                        true),
                new Case(
                        "[BOUND] list values match any",
                        "bound_claims list containing the ref allows",
                        "{" + BASE + ",'bound_claims':{'" + ref + "':['refs/heads/dev','" + MAIN + "']}}",
                        MAIN,
                        true),
                new Case(
                        "[BOUND] glob",
                        "a glob bound claim allows a release branch",
                        "{" + BASE + ",'bound_claims_type':'glob','bound_claims':{'" + ref
                                + "':'refs/heads/release-*'}}",
                        "refs/heads/release-7",
                        true),
                new Case(
                        "[BOUND] string type compares literally",
                        "a * under bound_claims_type string denies",
                        "{" + BASE + ",'bound_claims':{'" + ref + "':'refs/heads/release-*'}}",
                        "refs/heads/release-7",
                        false),
                new Case(
                        "[BOUND] multi-valued claim: any of its values",
                        "a bound context id in context-ids allows",
                        "{" + BASE + ",'bound_claims':{'" + NS + "/context-ids':'" + CONTEXT + "'}}",
                        MAIN,
                        true),
                new Case(
                        "[CODE] claim is missing",
                        "bound_claims on a claim Keyless never mints denies",
                        "{" + BASE + ",'bound_claims':{'repository':'acme/app'}}",
                        MAIN,
                        false),
                new Case(
                        "[API] user_claim must be in the token",
                        "a user_claim absent from the token denies",
                        "{'role_type':'jwt','user_claim':'email','bound_audiences':['" + ORG + "']}",
                        MAIN,
                        false),
                new Case(
                        "[CODE] user_claim must be a string",
                        "a boolean user_claim denies",
                        "{'role_type':'jwt','user_claim':'" + NS + "/ssh-rerun','bound_audiences':['" + ORG + "']}",
                        MAIN,
                        false),
                new Case(
                        "[CODE] claim_mappings need string claims",
                        "mapping the context-ids array denies",
                        "{" + BASE + ",'claim_mappings':{'" + NS + "/context-ids':'contexts'}}",
                        MAIN,
                        false),
                new Case(
                        "[API] vault read wraps the role in data",
                        "a role under data is read",
                        "{'data':{" + BASE + ",'bound_claims':{'" + ref + "':'" + MAIN + "'}}}",
                        MAIN,
                        true));
    }

    private final PolicySimulator simulator = new PolicySimulator();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rolesEvaluateAsVaultDocuments(Case c) {
        Simulation result = simulator.simulate(PolicyKind.VAULT, json(c.role()), v2(c.ref()), Fixtures.IDENTITY);
        assertEquals(c.allowed(), result.allowed(), c.source() + " -> " + result);
    }

    @Test
    void aRoleWithoutSubjectOrProjectBindingIsLinted() {
        Simulation result = simulator.simulate(PolicyKind.VAULT, json("{" + BASE + "}"), v2(MAIN), Fixtures.IDENTITY);
        assertTrue(result.allowed());
        assertTrue(
                result.lint().stream().anyMatch(f -> f.code().equals("no_sub_condition")),
                result.lint().toString());
        assertTrue(result.lint().stream().anyMatch(f -> f.code().equals("admits_fork_pull_requests")));
    }

    @Test
    void aMissingAudienceBindingGivesVaultsOwnReason() {
        Simulation result = simulator.simulate(
                PolicyKind.VAULT, json("{'role_type':'jwt','user_claim':'sub'}"), v2(MAIN), Fixtures.IDENTITY);
        assertFalse(result.allowed());
        assertTrue(result.reason().contains("no audiences bound to the role"), result.reason());
    }
}
