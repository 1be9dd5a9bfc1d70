package dev.keyless.context.context.service;

import dev.keyless.context.audit.service.AuditService;
import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.context.model.ContextRestriction;
import dev.keyless.context.context.model.RestrictionKind;
import dev.keyless.context.context.repository.ContextRepository;
import dev.keyless.context.context.repository.RestrictionRepository;
import dev.keyless.problem.Problem;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Restrictions of a context. Expressions are type-checked when written, so a stored one always compiles. */
@ApplicationScoped
public class RestrictionService {

    private final ContextService contextService;
    private final ContextRepository contexts;
    private final RestrictionRepository restrictions;
    private final ExpressionCompiler expressions;
    private final AuditService audit;
    private final Names names;
    private final ContextConfig config;

    public RestrictionService(
            ContextService contextService,
            ContextRepository contexts,
            RestrictionRepository restrictions,
            ExpressionCompiler expressions,
            AuditService audit,
            Names names,
            ContextConfig config) {
        this.contextService = contextService;
        this.contexts = contexts;
        this.restrictions = restrictions;
        this.expressions = expressions;
        this.audit = audit;
        this.names = names;
        this.config = config;
    }

    @WithSession
    public Uni<List<ContextRestriction>> list(UUID orgId, UUID contextId) {
        return contexts.findInOrg(orgId, contextId)
                .map(ContextService::found)
                .chain(() -> restrictions.listByContext(contextId));
    }

    @WithTransaction
    public Uni<ContextRestriction> add(UUID orgId, UUID contextId, String type, String value, String actor) {
        RestrictionKind kind = RestrictionKind.fromWire(type)
                .orElseThrow(() -> ProblemException.badRequest("type: must be one of "
                        + Arrays.stream(RestrictionKind.values())
                                .map(RestrictionKind::wireName)
                                .collect(Collectors.joining(", "))));
        String normalized = validate(kind, value);
        return contextService.lockForChange(orgId, contextId).chain(context -> restrictions
                .countByContext(contextId)
                .chain(count -> {
                    if (count >= config.limits().maxRestrictionsPerContext()) {
                        throw ProblemException.badRequest("a context has at most "
                                + config.limits().maxRestrictionsPerContext() + " restrictions");
                    }
                    return restrictions.listByContext(contextId);
                })
                .chain(existing -> {
                    if (existing.stream().anyMatch(r -> r.kind == kind && r.value.equals(normalized))) {
                        throw ProblemException.conflict(
                                "the context already has this " + kind.wireName() + " restriction");
                    }
                    ContextRestriction restriction = new ContextRestriction();
                    restriction.id = UUID.randomUUID();
                    restriction.contextId = contextId;
                    restriction.kind = kind;
                    restriction.value = normalized;
                    restriction.createdAt = Instant.now();
                    restriction.createdBy = actor;
                    context.updatedAt = restriction.createdAt;
                    return restrictions
                            .persist(restriction)
                            .call(() -> audit.record(
                                    orgId,
                                    actor,
                                    "restriction.added",
                                    contextId,
                                    null,
                                    Map.of("context", context.name, "type", kind.wireName(), "value", normalized)));
                }));
    }

    private String validate(RestrictionKind kind, String value) {
        return switch (kind) {
            case GROUP -> names.groupName(value);
            case PROJECT -> names.projectId(value);
            case EXPRESSION -> expression(value);
        };
    }

    private String expression(String source) {
        int max = config.limits().maxExpressionLength();
        if (source == null || source.isBlank()) {
            throw ProblemException.badRequest("value: an expression restriction needs a CEL expression");
        }
        if (source.length() > max) {
            throw ProblemException.badRequest("value: an expression has at most " + max + " characters");
        }
        List<Problem.ProblemError> errors = expressions.check(source);
        if (!errors.isEmpty()) {
            Problem.ProblemError first = errors.get(0);
            String where = first.line() == null ? "" : " at line " + first.line() + ", column " + first.column();
            throw new ProblemException(
                    400,
                    "Invalid restriction expression",
                    "the expression is not a valid boolean CEL expression over job values" + where + ": "
                            + first.message(),
                    errors,
                    Map.of());
        }
        return source;
    }

    @WithTransaction
    public Uni<Void> delete(UUID orgId, UUID contextId, UUID restrictionId, String actor) {
        return contextService.lockForChange(orgId, contextId).chain(context -> restrictions
                .findInContext(contextId, restrictionId)
                .chain(restriction -> {
                    if (restriction == null) {
                        throw ProblemException.notFound("the context has no such restriction");
                    }
                    context.updatedAt = Instant.now();
                    return restrictions
                            .delete(restriction)
                            .call(() -> audit.record(
                                    orgId,
                                    actor,
                                    "restriction.deleted",
                                    contextId,
                                    null,
                                    Map.of(
                                            "context",
                                            context.name,
                                            "type",
                                            restriction.kind.wireName(),
                                            "value",
                                            restriction.value)));
                }));
    }
}
