package dev.keyless.issuer.audit.rest;

import dev.keyless.issuer.IssuerUrls;
import dev.keyless.issuer.audit.service.TokenAuditService;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** Lets an org's security team match a cloud provider's log entry (jti, sub, aud, kid) to a job. */
@Path("/api/v1/orgs/{orgId}/oidc-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class TokenAuditResource {

    private static final int MAX_LIMIT = 1000;

    private final TokenAuditService audit;
    private final AdminAccess access;

    public TokenAuditResource(TokenAuditService audit, AdminAccess access) {
        this.audit = audit;
        this.access = access;
    }

    @Operation(summary = "Search the audit of OIDC tokens issued in an organization (by job, or by time range)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    public Uni<List<TokenAuditView>> search(
            @PathParam("orgId") String orgId,
            @QueryParam("job_id") String jobId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") Integer limit) {
        if (!IssuerUrls.wellFormedOrgId(orgId)) {
            throw ProblemException.notFound("no such organization");
        }
        access.requireOrg(UUID.fromString(orgId));
        if (jobId == null && from == null) {
            throw ProblemException.badRequest("give job_id, or a time range with from (and optionally to)");
        }
        UUID job = jobId == null ? null : uuid(jobId);
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.badRequest("from must be before to");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return audit.search(UUID.fromString(orgId), job, start, end, size)
                .map(entries -> entries.stream().map(TokenAuditView::of).toList());
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("job_id must be a UUID");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
