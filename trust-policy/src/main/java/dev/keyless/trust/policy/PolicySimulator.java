package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluates a relying party's policy on a Keyless claim set, then lints it: what the evaluator noticed, plus probes
 * that re-run the policy on the same job moved to any other branch, to a fork pull request's branch
 * ({@code pull/<n>}, as CircleCI names them) and to another project of the org. A probe that is still allowed
 * means a wildcard or a missing condition lets those jobs in too. Thread-safe; build one and reuse it.
 */
public final class PolicySimulator {

    /** Branch a fork pull request's job runs on (CircleCI's {@code pull/<number>}). */
    static final String FORK_PULL_REQUEST_REF = "refs/heads/pull/1";

    static final String ANY_BRANCH_REF = "refs/heads/keyless-probe/any-branch";

    private final GcpWorkloadIdentityProvider gcp = new GcpWorkloadIdentityProvider();

    /**
     * @param claims the token's claims (as a relying party decodes them)
     * @throws PolicyFormatException when the policy cannot be read
     */
    public Simulation simulate(PolicyKind kind, JsonNode policy, Map<String, Object> claims, IssuerIdentity issuer) {
        if (policy == null || !policy.isObject()) {
            throw new PolicyFormatException("policy must be a JSON object");
        }
        Evaluation evaluation = evaluate(kind, policy, claims, issuer);
        List<Finding> lint = new ArrayList<>(evaluation.findings());
        if (evaluation.allowed()) {
            String ns = issuer.claimNamespace();
            Object ref = claims.get(ns + "/vcs-ref");
            if (ref != null && !ANY_BRANCH_REF.equals(ref) && !FORK_PULL_REQUEST_REF.equals(ref)) {
                if (evaluate(kind, policy, withRef(claims, ns, ref.toString(), ANY_BRANCH_REF), issuer)
                        .allowed()) {
                    lint.add(Finding.warning(
                            "admits_every_branch",
                            "the same job on any other branch (probed with " + ANY_BRANCH_REF
                                    + ") is allowed too: pin the ref in the sub condition"));
                }
                if (evaluate(kind, policy, withRef(claims, ns, ref.toString(), FORK_PULL_REQUEST_REF), issuer)
                        .allowed()) {
                    lint.add(Finding.warning(
                            "admits_fork_pull_requests",
                            "a job of a fork pull request (branch "
                                    + FORK_PULL_REQUEST_REF
                                    + ") is allowed too: code from outside the repository would get "
                                    + "this role"));
                }
            }
            Object project = claims.get(ns + "/project-id");
            if (project != null) {
                String other =
                        UUID.nameUUIDFromBytes(project.toString().getBytes()).toString();
                if (evaluate(kind, policy, replaced(claims, ns + "/project-id", project.toString(), other), issuer)
                        .allowed()) {
                    lint.add(Finding.info(
                            "admits_other_projects", "a job of another project of this org is " + "allowed too"));
                }
            }
        }
        return new Simulation(
                kind.id(), evaluation.allowed(), evaluation.reason(), evaluation.conditions(), List.copyOf(lint));
    }

    private Evaluation evaluate(PolicyKind kind, JsonNode policy, Map<String, Object> claims, IssuerIdentity issuer) {
        return switch (kind) {
            case AWS -> AwsTrustPolicy.evaluate(policy, claims, issuer);
            case GCP -> gcp.evaluate(policy, claims, issuer);
            case VAULT -> VaultJwtRole.evaluate(policy, claims, issuer);
        };
    }

    /** The claims of the same job on another ref: the ref claim and, where it appears, the ref inside sub. */
    private static Map<String, Object> withRef(Map<String, Object> claims, String ns, String from, String to) {
        return replaced(claims, ns + "/vcs-ref", from, to);
    }

    private static Map<String, Object> replaced(Map<String, Object> claims, String claim, String from, String to) {
        Map<String, Object> copy = new LinkedHashMap<>(claims);
        copy.put(claim, to);
        Object sub = copy.get("sub");
        if (sub instanceof String subject) {
            int at = subject.lastIndexOf(from);
            if (at >= 0) {
                copy.put("sub", subject.substring(0, at) + to + subject.substring(at + from.length()));
            }
        }
        return copy;
    }
}
