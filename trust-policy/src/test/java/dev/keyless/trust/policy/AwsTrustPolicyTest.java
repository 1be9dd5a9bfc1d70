package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static dev.keyless.trust.policy.Fixtures.NS;
import static dev.keyless.trust.policy.Fixtures.ORG;
import static dev.keyless.trust.policy.Fixtures.PROVIDER;
import static dev.keyless.trust.policy.Fixtures.V1_SUB;
import static dev.keyless.trust.policy.Fixtures.json;
import static dev.keyless.trust.policy.Fixtures.v2;
import static dev.keyless.trust.policy.Fixtures.v2Sub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * IAM trust-policy evaluation, one row per documented behaviour. Sources:
 * [OPS] IAM User Guide, "IAM JSON policy elements: Condition operators"
 * (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
 * [MULTI] "Set operators for multivalued context keys" (reference_policies_condition-single-vs-multi-valued-context-keys.html);
 * [WIF] "Available keys for AWS OIDC federation" (reference_policies_iam-condition-keys.html#condition-keys-wif);
 * [EVAL] "Policy evaluation logic" (reference_policies_evaluation-logic.html);
 * [ROLE] "Create a role for OpenID Connect federation" (id_roles_create_for-idp_oidc.html).
 */
class AwsTrustPolicyTest {

    static final String MAIN = "refs/heads/main";
    static final String SUB_MAIN = v2Sub("github.com/acme/app", MAIN);
    static final String K_SUB = PROVIDER + ":sub";
    static final String K_AUD = PROVIDER + ":aud";
    static final String K_REF = PROVIDER + ":" + NS + "/vcs-ref";

    record Case(String source, String behaviour, String condition, String ref, boolean allowed) {
        @Override
        public String toString() {
            return behaviour;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "[OPS] StringEquals: exact matching, case sensitive",
                        "StringEquals on the exact sub allows",
                        "{'StringEquals':{'" + K_SUB + "':'" + SUB_MAIN + "'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] StringEquals: case sensitive",
                        "StringEquals differing only in case denies",
                        "{'StringEquals':{'" + K_SUB + "':'" + SUB_MAIN.toUpperCase() + "'}}",
                        MAIN,
                        false),
                new Case(
                        "[OPS] StringEqualsIgnoreCase",
                        "StringEqualsIgnoreCase ignores case",
                        "{'StringEqualsIgnoreCase':{'" + K_SUB + "':'" + SUB_MAIN.toUpperCase() + "'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] StringLike: multi-character match wildcard (*)",
                        "StringLike * spans slashes",
                        "{'StringLike':{'" + K_SUB + "':'" + V1_SUB + "/*/vcs-ref/refs/heads/release-*'}}",
                        "refs/heads/release-2/hotfix",
                        true),
                new Case(
                        "[OPS] StringLike: single-character match wildcard (?)",
                        "StringLike ? matches one character",
                        "{'StringLike':{'" + K_SUB + "':'" + V1_SUB + "/*/vcs-ref/refs/heads/v?'}}",
                        "refs/heads/v1",
                        true),
                new Case(
                        "[OPS] StringLike: single-character match wildcard (?)",
                        "StringLike ? never matches two",
                        "{'StringLike':{'" + K_SUB + "':'" + V1_SUB + "/*/vcs-ref/refs/heads/v?'}}",
                        "refs/heads/v10",
                        false),
                new Case(
                        "[OPS] StringNotEquals: negated matching",
                        "StringNotEquals of another value allows",
                        "{'StringNotEquals':{'" + K_SUB + "':'" + v2Sub("github.com/acme/app", "refs/heads/dev")
                                + "'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] multiple values for one key are ORed",
                        "StringEquals with a list allows any listed",
                        "{'StringEquals':{'" + K_SUB + "':['nope','" + SUB_MAIN + "']}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] negated operator with several values: matches none",
                        "StringNotEquals with a list denies when any listed value equals",
                        "{'StringNotEquals':{'" + K_SUB + "':['nope','" + SUB_MAIN + "']}}",
                        MAIN,
                        false),
                new Case(
                        "[OPS] keys of one operator are ANDed",
                        "one false key of two denies",
                        "{'StringEquals':{'" + K_SUB + "':'" + SUB_MAIN + "','" + K_AUD + "':'sts.amazonaws.com'}}",
                        MAIN,
                        false),
                new Case(
                        "[OPS] operators of one block are ANDed",
                        "aud and sub both true allows",
                        "{'StringEquals':{'" + K_AUD + "':'" + ORG + "'},'StringLike':{'" + K_SUB + "':'" + V1_SUB
                                + "/*'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] condition key missing: evaluates to false; [WIF] custom claims are not keys",
                        "a namespaced claim key is missing, so StringEquals denies",
                        "{'StringEquals':{'" + K_REF + "':'" + MAIN + "'}}",
                        MAIN,
                        false),
                new Case(
                        "[OPS] negated operators return true for a missing key",
                        "StringNotEquals on a missing key allows",
                        "{'StringNotEquals':{'" + K_REF + "':'refs/heads/dev'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] ...IfExists: true when the key is absent",
                        "StringEqualsIfExists on a missing key allows",
                        "{'StringEqualsIfExists':{'" + K_REF + "':'refs/heads/dev'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] ...IfExists: evaluated when present",
                        "StringLikeIfExists on a present key evaluates it",
                        "{'StringLikeIfExists':{'" + K_SUB + "':'*/vcs-ref/refs/tags/*'}}",
                        MAIN,
                        false),
                new Case(
                        "[OPS] Null operator: true means the key is absent",
                        "Null true on a missing key allows",
                        "{'Null':{'" + K_REF + "':'true'}}",
                        MAIN,
                        true),
                new Case(
                        "[MULTI] ForAnyValue: false when the key is missing",
                        "ForAnyValue on a missing key denies",
                        "{'ForAnyValue:StringEquals':{'" + K_REF + "':'" + MAIN + "'}}",
                        MAIN,
                        false),
                new Case(
                        "[MULTI] ForAllValues: true when the key is missing or empty",
                        "ForAllValues on a missing key allows",
                        "{'ForAllValues:StringEquals':{'" + K_REF + "':'refs/heads/dev'}}",
                        MAIN,
                        true),
                new Case(
                        "[MULTI] ForAnyValue: at least one value matches",
                        "ForAnyValue:StringLike on sub allows",
                        "{'ForAnyValue:StringLike':{'" + K_SUB + "':'*/vcs-ref/refs/heads/main'}}",
                        MAIN,
                        true),
                new Case(
                        "[OPS] condition key names are case-insensitive",
                        "an upper-case SUB key reads sub",
                        "{'StringEquals':{'" + PROVIDER + ":SUB':'" + SUB_MAIN + "'}}",
                        MAIN,
                        true));
    }

    private final PolicySimulator simulator = new PolicySimulator();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conditionOperatorsEvaluateAsIamDocuments(Case c) {
        Simulation result = simulate(policy("Allow", "sts:AssumeRoleWithWebIdentity", c.condition()), v2(c.ref()));
        assertEquals(c.allowed(), result.allowed(), c.source() + " -> " + result);
        if (!c.allowed()) {
            assertNotNull(result.reason(), "a denial names its reason");
        }
    }

    static Stream<Arguments> statements() {
        String allowAll = "{'StringEquals':{'" + K_AUD + "':'" + ORG + "'}}";
        String deny = "{'Effect':'Deny','Principal':{'Federated':'arn:aws:iam::123456789012:oidc-provider/" + PROVIDER
                + "'},'Action':'sts:AssumeRoleWithWebIdentity','Condition':{'StringLike':{'" + K_SUB
                + "':'*/vcs-ref/refs/heads/main'}}}";
        return Stream.of(
                Arguments.of(
                        "[EVAL] an explicit deny overrides any allow",
                        "{'Statement':[" + statement("Allow", "'sts:AssumeRoleWithWebIdentity'", allowAll) + "," + deny
                                + "]}",
                        false),
                Arguments.of(
                        "[ROLE] Principal.Federated names the provider ARN of another issuer",
                        "{'Statement':"
                                + statement("Allow", "'sts:AssumeRoleWithWebIdentity'", allowAll)
                                        .replace(PROVIDER, "token.actions.githubusercontent.com")
                                + "}",
                        false),
                Arguments.of(
                        "[ROLE] Action must be sts:AssumeRoleWithWebIdentity",
                        "{'Statement':" + statement("Allow", "'sts:AssumeRole'", allowAll) + "}",
                        false),
                Arguments.of(
                        "[OPS] wildcards in actions (sts:*) cover it",
                        "{'Statement':" + statement("Allow", "['sts:*']", allowAll) + "}",
                        true),
                Arguments.of(
                        "[EVAL] a single Statement object works like a one-element array",
                        "{'Statement':" + statement("Allow", "'sts:AssumeRoleWithWebIdentity'", allowAll) + "}",
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void statementsCombineAsIamDocuments(String source, String document, boolean allowed) {
        Simulation result = simulate(json(document), v2(MAIN));
        assertEquals(allowed, result.allowed(), source + " -> " + result);
    }

    private Simulation simulate(JsonNode policy, Map<String, Object> claims) {
        return simulator.simulate(PolicyKind.AWS, policy, claims, Fixtures.IDENTITY);
    }

    static JsonNode policy(String effect, String action, String condition) {
        return json("{'Version':'2012-10-17','Statement':[" + statement(effect, "'" + action + "'", condition) + "]}");
    }

    static String statement(String effect, String action, String condition) {
        return "{'Effect':'" + effect + "','Principal':{'Federated':'arn:aws:iam::123456789012:oidc-provider/"
                + PROVIDER + "'},'Action':" + action + ",'Condition':" + condition + "}";
    }
}
