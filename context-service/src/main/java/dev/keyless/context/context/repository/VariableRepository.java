package dev.keyless.context.context.repository;

import dev.keyless.context.context.model.ContextVariable;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class VariableRepository implements PanacheRepositoryBase<ContextVariable, UUID> {

    public Uni<List<ContextVariable>> listByContext(UUID contextId) {
        return list("contextId", Sort.by("name"), contextId);
    }

    public Uni<List<ContextVariable>> listByContexts(Collection<UUID> contextIds) {
        return contextIds.isEmpty()
                ? Uni.createFrom().item(List.of())
                : list("contextId in ?1", Sort.by("name"), contextIds);
    }

    public Uni<ContextVariable> findByName(UUID contextId, String name) {
        return find(
                        "contextId = :context and name = :name",
                        Parameters.with("context", contextId).and("name", name))
                .firstResult();
    }

    public Uni<Long> countByContext(UUID contextId) {
        return count("contextId", contextId);
    }
}
