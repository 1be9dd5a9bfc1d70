package dev.keyless.issuer.audit.rest;

import dev.keyless.issuer.audit.model.TokenAuditEntry;

import java.time.Instant;
import java.util.UUID;

/** One minted token as the audit API shows it (never the token). */
public record TokenAuditView(
        UUID jti,
        UUID orgId,
        UUID projectId,
        UUID jobId,
        String kind,
        String sub,
        String aud,
        String kid,
        String algorithm,
        Instant iat,
        Instant exp) {

    static TokenAuditView of(TokenAuditEntry entry) {
        return new TokenAuditView(
                entry.jti,
                entry.orgId,
                entry.projectId,
                entry.jobId,
                entry.kind,
                entry.sub,
                entry.aud,
                entry.kid,
                entry.algorithm,
                entry.iat,
                entry.exp);
    }
}
