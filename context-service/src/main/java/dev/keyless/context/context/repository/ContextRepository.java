package dev.keyless.context.context.repository;

import dev.keyless.context.context.model.Context;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ContextRepository implements PanacheRepositoryBase<Context, UUID> {

    public Uni<Context> findInOrg(UUID orgId, UUID id) {
        return find("id = :id and orgId = :org", Parameters.with("id", id).and("org", orgId))
                .firstResult();
    }

    /** Locks the context row: writes to one context (variables, restrictions, its key) are serialized. */
    public Uni<Context> lockInOrg(UUID orgId, UUID id) {
        return find("id = :id and orgId = :org", Parameters.with("id", id).and("org", orgId))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    public Uni<List<Context>> listByOrg(UUID orgId) {
        return list("orgId", Sort.by("name"), orgId);
    }

    public Uni<List<Context>> findByNames(UUID orgId, Collection<String> names) {
        return names.isEmpty()
                ? Uni.createFrom().item(List.of())
                : list(
                        "orgId = :org and name in :names",
                        Parameters.with("org", orgId).and("names", names));
    }

    public Uni<List<Context>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }

    public Uni<Long> countByOrg(UUID orgId) {
        return count("orgId", orgId);
    }

    public Uni<Boolean> nameTaken(UUID orgId, String name) {
        return count(
                        "orgId = :org and name = :name",
                        Parameters.with("org", orgId).and("name", name))
                .map(count -> count > 0);
    }

    public Uni<List<Context>> wrappedByOtherKeys(String currentKekId, int limit) {
        return find("kekId <> ?1", Sort.by("id"), currentKekId).page(0, limit).list();
    }
}
