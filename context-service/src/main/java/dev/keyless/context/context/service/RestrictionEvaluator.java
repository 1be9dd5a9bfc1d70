package dev.keyless.context.context.service;

import dev.keyless.context.context.model.ContextRestriction;
import dev.keyless.context.context.model.RestrictionKind;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * Decides whether a job may use a context. Every kind present must pass: group restrictions pass when the
 * triggering user is in at least one listed group; project restrictions when the job's project is listed; every
 * expression must be true. A context with any restriction is never given to a forked pull-request job unless
 * its project is allowed to.
 */
@ApplicationScoped
public class RestrictionEvaluator {

    private final ExpressionCompiler expressions;

    public RestrictionEvaluator(ExpressionCompiler expressions) {
        this.expressions = expressions;
    }

    public Optional<Denial> evaluate(
            String contextName, List<ContextRestriction> restrictions, JobFacts facts, boolean forkAllowed) {
        if (restrictions.isEmpty()) {
            return Optional.empty();
        }
        String context = "context '" + Denial.clip(contextName, Denial.MAX_VALUE) + "'";
        if (facts.fromForkedPullRequest() && !forkAllowed) {
            return Optional.of(new Denial(
                    "fork_pull_request",
                    contextName,
                    context + " is restricted and jobs "
                            + "from forked pull requests may not use it; an org admin can allow forked pull requests of "
                            + "project " + facts.projectId() + " to use restricted contexts"));
        }
        List<String> projects = values(restrictions, RestrictionKind.PROJECT);
        String project = facts.projectId() == null ? "" : facts.projectId().toString();
        if (!projects.isEmpty() && !projects.contains(project)) {
            return Optional.of(new Denial(
                    "project",
                    contextName,
                    context + " is restricted to project "
                            + Denial.list(projects, "") + "; this job belongs to project " + project
                            + ". Ask an org admin to add the project to the context's restrictions"));
        }
        List<String> groups = values(restrictions, RestrictionKind.GROUP);
        if (!groups.isEmpty() && groups.stream().noneMatch(facts.actorGroups()::contains)) {
            return Optional.of(new Denial(
                    "group",
                    contextName,
                    context + " is restricted to security group " + Denial.list(groups, "'")
                            + "; the user who triggered the pipeline is in none of them"));
        }
        for (String expression : values(restrictions, RestrictionKind.EXPRESSION)) {
            boolean allowed;
            try {
                allowed = expressions.evaluate(expression, facts);
            } catch (ExpressionCompiler.ExpressionFailedException e) {
                return Optional.of(new Denial(
                        "expression",
                        contextName,
                        context + " has the restriction `"
                                + Denial.clip(expression, Denial.MAX_EXPRESSION)
                                + "`, which cannot be evaluated for this "
                                + "job; an org admin should fix it"));
            }
            if (!allowed) {
                return Optional.of(new Denial(
                        "expression",
                        contextName,
                        context + " is restricted by `"
                                + Denial.clip(expression, Denial.MAX_EXPRESSION)
                                + "`, which is false for this job (branch '"
                                + Denial.clip(facts.branch(), Denial.MAX_VALUE) + "', tag '"
                                + Denial.clip(facts.tag(), Denial.MAX_VALUE) + "', trigger '"
                                + Denial.clip(facts.triggerSource(), Denial.MAX_VALUE) + "', ssh "
                                + (facts.sshRerun() ? "enabled" : "disabled") + ")"));
            }
        }
        return Optional.empty();
    }

    private static List<String> values(List<ContextRestriction> restrictions, RestrictionKind kind) {
        return restrictions.stream()
                .filter(r -> r.kind == kind)
                .map(r -> r.value)
                .toList();
    }
}
