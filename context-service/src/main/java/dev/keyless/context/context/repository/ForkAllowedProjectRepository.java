package dev.keyless.context.context.repository;

import dev.keyless.context.context.model.ForkAllowedProject;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ForkAllowedProjectRepository implements PanacheRepositoryBase<ForkAllowedProject, ForkAllowedProject.Key> {

    public Uni<List<ForkAllowedProject>> listByOrg(UUID orgId) {
        return list("orgId", Sort.by("projectId"), orgId);
    }

    public Uni<Boolean> allowed(UUID orgId, UUID projectId) {
        return projectId == null
                ? Uni.createFrom().item(false)
                : findById(new ForkAllowedProject.Key(orgId, projectId)).map(found -> found != null);
    }
}
