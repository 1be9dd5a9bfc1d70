package dev.keyless.context.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.context.audit.model.AuditRecord;
import dev.keyless.context.audit.repository.AuditRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes audit records inside the caller's transaction, so a change and its record commit together. */
@ApplicationScoped
public class AuditService {

    private final AuditRepository repository;
    private final ObjectMapper json;

    public AuditService(AuditRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** @param detail names only (context, variables, restriction); callers never pass a value */
    public Uni<Void> record(
            UUID orgId, String actor, String action, UUID contextId, UUID jobId, Map<String, Object> detail) {
        AuditRecord record = new AuditRecord();
        record.orgId = orgId;
        record.occurredAt = Instant.now();
        record.actor = actor;
        record.action = action;
        record.contextId = contextId;
        record.jobId = jobId;
        try {
            record.detail = json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serializable", e);
        }
        return repository.persist(record).replaceWithVoid();
    }

    public Uni<List<AuditRecord>> search(UUID orgId, UUID jobId, UUID contextId, Long beforeId, int limit) {
        return repository.search(orgId, jobId, contextId, beforeId, limit);
    }
}
