package dev.keyless.issuer.audit.service;

import dev.keyless.issuer.audit.model.TokenAuditEntry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The audit trail of minted tokens. */
@ApplicationScoped
public class TokenAuditService {

    /** Records minted tokens, each row written before its token is handed out. */
    @WithTransaction
    public Uni<Void> record(List<TokenAuditEntry> minted) {
        return TokenAuditEntry.persist(minted);
    }

    /** An org's tokens, newest first, for one job and/or issued within [from, to). */
    @WithSession
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
        return TokenAuditEntry.<TokenAuditEntry>find(query.toString(), parameters)
                .page(0, limit)
                .list();
    }
}
