package dev.keyless.trust.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.keyless.trust.policy.Fixtures.NS;
import static dev.keyless.trust.policy.Fixtures.ORG;
import static dev.keyless.trust.policy.Fixtures.PROVIDER;
import static dev.keyless.trust.policy.Fixtures.V1_SUB;
import static dev.keyless.trust.policy.Fixtures.v2;
import static dev.keyless.trust.policy.Fixtures.v2Sub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The linter's four findings of the issue, each with a policy that has it and one that does not. */
class PolicyLintTest {

    static final String MAIN = "refs/heads/main";
    private final PolicySimulator simulator = new PolicySimulator();

    private List<String> codes(String condition) {
        Simulation result = simulator.simulate(
                PolicyKind.AWS,
                AwsTrustPolicyTest.policy("Allow", "sts:AssumeRoleWithWebIdentity", condition),
                v2(MAIN),
                Fixtures.IDENTITY);
        return result.lint().stream().map(Finding::code).toList();
    }

    @Test
    void aPolicyWithoutConditionsHasNoSubConditionAndNoPinnedAudience() {
        List<String> codes = codes("{}");
        assertTrue(
                codes.containsAll(List.of(
                        "no_sub_condition",
                        "aud_not_pinned",
                        "admits_every_branch",
                        "admits_fork_pull_requests",
                        "admits_other_projects")),
                codes.toString());
    }

    @Test
    void aUserWildcardAdmitsEveryBranchAndForkPullRequests() {
        List<String> codes = codes("{'StringEquals':{'" + PROVIDER + ":aud':'" + ORG + "'},'StringLike':{'" + PROVIDER
                + ":sub':'" + V1_SUB + "/*'}}");
        assertTrue(codes.containsAll(List.of("admits_every_branch", "admits_fork_pull_requests")), codes.toString());
        assertFalse(codes.contains("no_sub_condition"));
        assertFalse(codes.contains("admits_other_projects"), "the sub pins the project");
    }

    @Test
    void aPinnedPolicyHasNoFinding() {
        List<String> codes = codes("{'StringEquals':{'" + PROVIDER + ":aud':'" + ORG + "','" + PROVIDER + ":sub':'"
                + v2Sub("github.com/acme/app", MAIN) + "'}}");
        assertEquals(List.of(), codes);
    }

    @Test
    void aConditionOnANamespacedClaimNeverMatches() {
        Simulation result = simulator.simulate(
                PolicyKind.AWS,
                AwsTrustPolicyTest.policy(
                        "Allow",
                        "sts:AssumeRoleWithWebIdentity",
                        "{'StringEquals':{'" + PROVIDER + ":" + NS + "/vcs-ref':'" + MAIN + "'}}"),
                v2(MAIN),
                Fixtures.IDENTITY);
        assertFalse(result.allowed());
        assertTrue(
                result.lint().stream()
                        .anyMatch(f ->
                                f.code().equals("never_matches") && f.message().contains("IAM exposes only")),
                result.lint().toString());
    }

    @Test
    void aSubjectOfAnotherOrgNeverMatches() {
        List<String> codes = codes("{'StringLike':{'" + PROVIDER + ":sub':'org/someone-else/*'}}");
        assertTrue(codes.contains("never_matches"), codes.toString());
    }

    @Test
    void aForkPullRequestIsDeniedByAMainOnlyPolicyWithTheReason() {
        Simulation result = simulator.simulate(
                PolicyKind.AWS,
                AwsTrustPolicyTest.policy(
                        "Allow",
                        "sts:AssumeRoleWithWebIdentity",
                        "{'StringEquals':{'" + PROVIDER + ":aud':'" + ORG + "','" + PROVIDER + ":sub':'"
                                + v2Sub("github.com/acme/app", MAIN) + "'}}"),
                v2("refs/heads/pull/42"),
                Fixtures.IDENTITY);
        assertFalse(result.allowed());
        assertTrue(result.reason().contains(":sub") && result.reason().contains("refs/heads/pull/42"), result.reason());
    }
}
