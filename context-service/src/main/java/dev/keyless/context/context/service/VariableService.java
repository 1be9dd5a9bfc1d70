package dev.keyless.context.context.service;

import dev.keyless.context.audit.service.AuditService;
import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.model.ContextVariable;
import dev.keyless.context.context.repository.ContextRepository;
import dev.keyless.context.context.repository.VariableRepository;
import dev.keyless.context.encryption.service.ContextCipher;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.SecretKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Variables of a context: write-only values, encrypted under the context's data key. Writes lock the context row,
 * so concurrent writes to one context apply one after the other and the count limit holds.
 */
@ApplicationScoped
public class VariableService {

    private final ContextService contextService;
    private final ContextRepository contexts;
    private final VariableRepository variables;
    private final ContextCipher cipher;
    private final AuditService audit;
    private final Names names;
    private final ContextConfig config;

    public VariableService(
            ContextService contextService,
            ContextRepository contexts,
            VariableRepository variables,
            ContextCipher cipher,
            AuditService audit,
            Names names,
            ContextConfig config) {
        this.contextService = contextService;
        this.contexts = contexts;
        this.variables = variables;
        this.cipher = cipher;
        this.audit = audit;
        this.names = names;
        this.config = config;
    }

    /** What a listing shows of a variable: never its value. */
    public record VariableSummary(String name, String hint, Instant updatedAt) {}

    @WithTransaction
    public Uni<VariableSummary> set(UUID orgId, UUID contextId, String name, String value, String actor) {
        names.variableName(name);
        names.variableValue(value);
        return contextService
                .lockForChange(orgId, contextId)
                .chain(context -> variables.findByName(contextId, name).chain(existing -> {
                    if (existing != null) {
                        return write(context, existing, value, actor, false);
                    }
                    return variables.countByContext(contextId).chain(count -> {
                        if (count >= config.limits().maxVariablesPerContext()) {
                            throw ProblemException.badRequest(
                                    "a context has at most " + config.limits().maxVariablesPerContext() + " variables");
                        }
                        ContextVariable created = new ContextVariable();
                        created.id = UUID.randomUUID();
                        created.contextId = contextId;
                        created.name = name;
                        return write(context, created, value, actor, true);
                    });
                }));
    }

    private Uni<VariableSummary> write(
            Context context, ContextVariable variable, String value, String actor, boolean created) {
        variable.ciphertext = cipher.encrypt(cipher.dataKey(context), context.id, variable.name, value);
        variable.updatedAt = Instant.now();
        variable.updatedBy = actor;
        context.updatedAt = variable.updatedAt;
        return variables
                .persist(variable)
                .call(() -> audit.record(
                        context.orgId,
                        actor,
                        "variable.set",
                        context.id,
                        null,
                        Map.of("context", context.name, "variable", variable.name, "created", created)))
                .replaceWith(new VariableSummary(variable.name, Names.hint(value), variable.updatedAt));
    }

    @WithSession
    public Uni<List<VariableSummary>> list(UUID orgId, UUID contextId) {
        return contexts.findInOrg(orgId, contextId)
                .map(ContextService::found)
                .chain(context -> variables.listByContext(contextId).map(list -> {
                    SecretKey dataKey = cipher.dataKey(context);
                    // the hint is derived at read time so no fragment of a value is stored in plain text
                    return list.stream()
                            .map(variable -> new VariableSummary(
                                    variable.name,
                                    Names.hint(cipher.decrypt(dataKey, contextId, variable.name, variable.ciphertext)),
                                    variable.updatedAt))
                            .toList();
                }));
    }

    @WithTransaction
    public Uni<Void> delete(UUID orgId, UUID contextId, String name, String actor) {
        return contextService
                .lockForChange(orgId, contextId)
                .chain(context -> variables.findByName(contextId, name).chain(variable -> {
                    if (variable == null) {
                        throw ProblemException.notFound("the context has no variable named '" + name + "'");
                    }
                    context.updatedAt = Instant.now();
                    return variables
                            .delete(variable)
                            .call(() -> audit.record(
                                    orgId,
                                    actor,
                                    "variable.deleted",
                                    contextId,
                                    null,
                                    Map.of("context", context.name, "variable", name)));
                }));
    }
}
