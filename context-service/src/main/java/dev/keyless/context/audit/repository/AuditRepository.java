package dev.keyless.context.audit.repository;

import dev.keyless.context.audit.model.AuditRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditRecord, Long> {

    /** Newest first; optional filters by job and context, and {@code beforeId} to page back. */
    public Uni<List<AuditRecord>> search(UUID orgId, UUID jobId, UUID contextId, Long beforeId, int limit) {
        StringBuilder query = new StringBuilder("orgId = :org");
        Parameters parameters = Parameters.with("org", orgId);
        if (jobId != null) {
            query.append(" and jobId = :job");
            parameters = parameters.and("job", jobId);
        }
        if (contextId != null) {
            query.append(" and contextId = :context");
            parameters = parameters.and("context", contextId);
        }
        if (beforeId != null) {
            query.append(" and id < :before");
            parameters = parameters.and("before", beforeId);
        }
        return find(query.toString(), Sort.descending("id"), parameters)
                .page(0, limit)
                .list();
    }
}
