package dev.keyless.context.context.repository;

import dev.keyless.context.context.model.ContextRestriction;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RestrictionRepository implements PanacheRepositoryBase<ContextRestriction, UUID> {

    public Uni<List<ContextRestriction>> listByContext(UUID contextId) {
        return list("contextId", Sort.by("createdAt").and("id"), contextId);
    }

    public Uni<List<ContextRestriction>> listByContexts(Collection<UUID> contextIds) {
        return contextIds.isEmpty()
                ? Uni.createFrom().item(List.of())
                : list("contextId in ?1", Sort.by("createdAt").and("id"), contextIds);
    }

    public Uni<ContextRestriction> findInContext(UUID contextId, UUID id) {
        return find(
                        "id = :id and contextId = :context",
                        Parameters.with("id", id).and("context", contextId))
                .firstResult();
    }

    public Uni<Long> countByContext(UUID contextId) {
        return count("contextId", contextId);
    }
}
