package dev.keyless.trust.policy;

import java.util.List;

/**
 * How one relying party decides on one claim set.
 *
 * @param reason     when denied, the first check that failed, in the relying party's terms; null when allowed
 * @param conditions every check with its outcome, in policy order
 * @param findings   what the evaluator noticed about the policy itself (keys that never match, missing pins)
 */
public record Evaluation(boolean allowed, String reason, List<ConditionOutcome> conditions, List<Finding> findings) {

    public Evaluation {
        conditions = List.copyOf(conditions);
        findings = List.copyOf(findings);
    }
}
