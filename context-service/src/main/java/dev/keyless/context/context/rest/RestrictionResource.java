package dev.keyless.context.context.rest;

import dev.keyless.context.context.rest.ContextApi.RestrictionRequest;
import dev.keyless.context.context.rest.ContextApi.RestrictionView;
import dev.keyless.context.context.service.RestrictionService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** Restrictions of a context: {type: group|project|expression, value}. */
@Path("/api/v1/orgs/{orgId}/contexts/{contextId}/restrictions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.ORG_ADMIN, AdminAccess.PLATFORM_ADMIN})
public class RestrictionResource {

    private final RestrictionService restrictions;
    private final AdminAccess access;

    public RestrictionResource(RestrictionService restrictions, AdminAccess access) {
        this.restrictions = restrictions;
        this.access = access;
    }

    @Operation(summary = "List a context's restrictions")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    public Uni<List<RestrictionView>> list(@PathParam("orgId") UUID orgId, @PathParam("contextId") UUID contextId) {
        access.requireOrg(orgId);
        return restrictions
                .list(orgId, contextId)
                .map(list -> list.stream().map(RestrictionView::of).toList());
    }

    @Operation(summary = "Add a restriction to a context")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RestrictionView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @POST
    public Uni<RestResponse<RestrictionView>> add(
            @PathParam("orgId") UUID orgId,
            @PathParam("contextId") UUID contextId,
            @Valid @NotNull RestrictionRequest request) {
        access.requireOrg(orgId);
        return restrictions
                .add(orgId, contextId, request.type(), request.value(), access.actor())
                .map(restriction -> RestResponse.ResponseBuilder.<RestrictionView>created(URI.create(
                                "/api/v1/orgs/" + orgId + "/contexts/" + contextId + "/restrictions/" + restriction.id))
                        .entity(RestrictionView.of(restriction))
                        .build());
    }

    @Operation(summary = "Remove a restriction from a context")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @DELETE
    @Path("/{restrictionId}")
    public Uni<Void> delete(
            @PathParam("orgId") UUID orgId,
            @PathParam("contextId") UUID contextId,
            @PathParam("restrictionId") UUID restrictionId) {
        access.requireOrg(orgId);
        return restrictions.delete(orgId, contextId, restrictionId, access.actor());
    }
}
