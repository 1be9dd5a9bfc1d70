package dev.keyless.context.context.service;

import dev.keyless.context.audit.service.AuditService;
import dev.keyless.context.context.model.ForkAllowedProject;
import dev.keyless.context.context.repository.ForkAllowedProjectRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Which projects' forked pull-request jobs may use restricted contexts (none by default). */
@ApplicationScoped
public class ForkPolicyService {

    private final ForkAllowedProjectRepository allowed;
    private final AuditService audit;

    public ForkPolicyService(ForkAllowedProjectRepository allowed, AuditService audit) {
        this.allowed = allowed;
        this.audit = audit;
    }

    @WithSession
    public Uni<List<UUID>> allowedProjects(UUID orgId) {
        return allowed.listByOrg(orgId)
                .map(list -> list.stream().map(p -> p.projectId).toList());
    }

    @WithTransaction
    public Uni<Void> allow(UUID orgId, UUID projectId, String actor) {
        return allowed.findById(new ForkAllowedProject.Key(orgId, projectId)).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            ForkAllowedProject entry = new ForkAllowedProject();
            entry.orgId = orgId;
            entry.projectId = projectId;
            entry.createdAt = Instant.now();
            return allowed.persist(entry)
                    .chain(() -> audit.record(
                            orgId,
                            actor,
                            "fork_policy.allowed",
                            null,
                            null,
                            Map.of("project_id", projectId.toString())));
        });
    }

    @WithTransaction
    public Uni<Void> revoke(UUID orgId, UUID projectId, String actor) {
        return allowed.findById(new ForkAllowedProject.Key(orgId, projectId))
                .chain(existing -> existing == null
                        ? Uni.createFrom().voidItem()
                        : allowed.delete(existing)
                                .chain(() -> audit.record(
                                        orgId,
                                        actor,
                                        "fork_policy.revoked",
                                        null,
                                        null,
                                        Map.of("project_id", projectId.toString()))));
    }
}
