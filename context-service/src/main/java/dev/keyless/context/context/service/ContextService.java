package dev.keyless.context.context.service;

import dev.keyless.context.audit.service.AuditService;
import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.repository.ContextRepository;
import dev.keyless.context.encryption.service.ContextCipher;
import dev.keyless.messaging.persistence.Conflicts;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Contexts of an org: create, rename, list, delete. Every change is audited in its own transaction. */
@ApplicationScoped
public class ContextService {

    private final ContextRepository contexts;
    private final ContextCipher cipher;
    private final AuditService audit;
    private final Names names;
    private final ContextConfig config;

    public ContextService(
            ContextRepository contexts, ContextCipher cipher, AuditService audit, Names names, ContextConfig config) {
        this.contexts = contexts;
        this.cipher = cipher;
        this.audit = audit;
        this.names = names;
        this.config = config;
    }

    public Uni<Context> create(UUID orgId, String name, String actor) {
        names.contextName(name);
        return Panache.withTransaction(() -> createInTransaction(orgId, name, actor))
                .onFailure(Conflicts::isUniqueViolation)
                .transform(e -> nameTaken(name));
    }

    private Uni<Context> createInTransaction(UUID orgId, String name, String actor) {
        return contexts.countByOrg(orgId)
                .invoke(count -> {
                    if (count >= config.limits().maxContextsPerOrg()) {
                        throw ProblemException.badRequest(
                                "an organization has at most " + config.limits().maxContextsPerOrg() + " contexts");
                    }
                })
                .chain(() -> contexts.nameTaken(orgId, name))
                .chain(taken -> {
                    if (taken) {
                        throw nameTaken(name);
                    }
                    Context context = new Context();
                    context.id = UUID.randomUUID();
                    context.orgId = orgId;
                    context.name = name;
                    context.createdAt = Instant.now();
                    context.updatedAt = context.createdAt;
                    cipher.assignDataKey(context);
                    return contexts.persistAndFlush(context);
                })
                .call(context -> audit.record(orgId, actor, "context.created", context.id, null, Map.of("name", name)));
    }

    public Uni<Context> rename(UUID orgId, UUID contextId, String name, String actor) {
        names.contextName(name);
        return Panache.withTransaction(() -> renameInTransaction(orgId, contextId, name, actor))
                .onFailure(Conflicts::isUniqueViolation)
                .transform(e -> nameTaken(name));
    }

    private Uni<Context> renameInTransaction(UUID orgId, UUID contextId, String name, String actor) {
        return contexts.lockInOrg(orgId, contextId)
                .map(context -> found(context))
                .chain(context -> context.name.equals(name)
                        ? Uni.createFrom().item(context)
                        : contexts.nameTaken(orgId, name).chain(taken -> {
                            if (taken) {
                                throw nameTaken(name);
                            }
                            String previous = context.name;
                            context.name = name;
                            context.updatedAt = Instant.now();
                            return contexts.flush()
                                    .chain(() -> audit.record(
                                            orgId,
                                            actor,
                                            "context.renamed",
                                            contextId,
                                            null,
                                            Map.of("from", previous, "to", name)))
                                    .replaceWith(context);
                        }));
    }

    @WithSession
    public Uni<List<Context>> list(UUID orgId) {
        return contexts.listByOrg(orgId);
    }

    @WithSession
    public Uni<Context> get(UUID orgId, UUID contextId) {
        return contexts.findInOrg(orgId, contextId).map(ContextService::found);
    }

    /** Deletes the context with its variables and restrictions; jobs that resolved it are refused at pull. */
    @WithTransaction
    public Uni<Void> delete(UUID orgId, UUID contextId, String actor) {
        return contexts.lockInOrg(orgId, contextId)
                .map(ContextService::found)
                .call(context -> contexts.delete(context))
                .call(context ->
                        audit.record(orgId, actor, "context.deleted", contextId, null, Map.of("name", context.name)))
                .replaceWithVoid();
    }

    /** Locks a context of the org for a change to its variables or restrictions (404 when absent). */
    public Uni<Context> lockForChange(UUID orgId, UUID contextId) {
        return contexts.lockInOrg(orgId, contextId).map(ContextService::found);
    }

    public static Context found(Context context) {
        if (context == null) {
            throw ProblemException.notFound("no such context in this organization");
        }
        return context;
    }

    private static ProblemException nameTaken(String name) {
        return ProblemException.conflict("a context named '" + name + "' already exists in this organization");
    }
}
