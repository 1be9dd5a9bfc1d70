package dev.keyless.trust.policy;

import java.util.List;

/**
 * The simulator's answer.
 *
 * @param allowed    whether the relying party would accept the claims
 * @param reason     when denied, the first failing check in the relying party's terms
 * @param conditions every check with its outcome
 * @param lint       findings about the policy, from reading it and from probing it with other jobs' claims
 */
public record Simulation(
        String type, boolean allowed, String reason, List<ConditionOutcome> conditions, List<Finding> lint) {}
