package dev.keyless.trust.policy;

/**
 * One check of a policy and how it came out for the claims.
 *
 * @param source      where the check is in the policy, e.g. {@code Statement[0].Condition.StringLike}
 * @param check       the check as the policy states it
 * @param passed      whether it holds for the claims
 * @param explanation why, naming the claim values it compared
 */
public record ConditionOutcome(String source, String check, boolean passed, String explanation) {}
