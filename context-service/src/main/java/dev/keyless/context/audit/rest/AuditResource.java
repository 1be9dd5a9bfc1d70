package dev.keyless.context.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.context.audit.model.AuditRecord;
import dev.keyless.context.audit.service.AuditService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The org's audit trail: context changes and environment pulls, newest first. */
@Path("/api/v1/orgs/{orgId}/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.ORG_ADMIN, AdminAccess.PLATFORM_ADMIN})
public class AuditResource {

    private final AuditService audit;
    private final AdminAccess access;
    private final ObjectMapper json;

    public AuditResource(AuditService audit, AdminAccess access, ObjectMapper json) {
        this.audit = audit;
        this.access = access;
        this.json = json;
    }

    public record AuditEntry(
            long id, Instant occurredAt, String actor, String action, UUID contextId, UUID jobId, JsonNode detail) {}

    @Operation(summary = "Search an organization's audit records, newest first (by job or context, paged by before_id)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @GET
    @WithSession
    public Uni<List<AuditEntry>> list(
            @PathParam("orgId") UUID orgId,
            @QueryParam("job_id") UUID jobId,
            @QueryParam("context_id") UUID contextId,
            @QueryParam("before_id") Long beforeId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        access.requireOrg(orgId);
        return audit.search(orgId, jobId, contextId, beforeId, limit)
                .map(records -> records.stream().map(this::entry).toList());
    }

    private AuditEntry entry(AuditRecord record) {
        JsonNode detail;
        try {
            detail = json.readTree(record.detail);
        } catch (JsonProcessingException e) {
            detail = json.createObjectNode();
        }
        return new AuditEntry(
                record.id, record.occurredAt, record.actor, record.action, record.contextId, record.jobId, detail);
    }
}
