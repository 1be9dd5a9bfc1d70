package dev.keyless.issuer.audit.service;

import dev.keyless.issuer.audit.model.TokenAuditEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads the audit trail of minted tokens. */
@ApplicationScoped
public class TokenAuditService {

    /** An org's tokens, newest first, for one job and/or issued within [from, to). */
    public Uni<List<TokenAuditEntry>> search(UUID orgId, UUID jobId, Instant from, Instant to, int limit) {
        StringBuilder query = new StringBuilder("orgId = :org");
        Parameters parameters = Parameters.with("org", orgId);
        if (jobId != null) {
            query.append(" and jobId = :job");
            parameters.and("job", jobId);
        }
        if (from != null) {
            query.append(" and iat >= :from");
            parameters.and("from", from);
        }
        if (to != null) {
            query.append(" and iat < :to");
            parameters.and("to", to);
        }
        query.append(" order by iat desc, jti");
        return Panache.withSession(() -> TokenAuditEntry.<TokenAuditEntry>find(query.toString(), parameters)
                .page(0, limit).list());
    }
}
