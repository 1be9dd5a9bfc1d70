package dev.keyless.context.context.rest;

import dev.keyless.context.context.rest.ContextApi.ContextRequest;
import dev.keyless.context.context.rest.ContextApi.ContextView;
import dev.keyless.context.context.service.ContextService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

/** Contexts of an org (org admin of that org, or platform admin). */
@Path("/api/v1/orgs/{orgId}/contexts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.ORG_ADMIN, AdminAccess.PLATFORM_ADMIN})
public class ContextResource {

    private final ContextService contexts;
    private final AdminAccess access;

    public ContextResource(ContextService contexts, AdminAccess access) {
        this.contexts = contexts;
        this.access = access;
    }

    @Operation(summary = "Create a context")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ContextView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @POST
    public Uni<RestResponse<ContextView>> create(
            @PathParam("orgId") UUID orgId, @Valid @NotNull ContextRequest request) {
        access.requireOrg(orgId);
        return contexts.create(orgId, request.name(), access.actor())
                .map(context -> RestResponse.ResponseBuilder.<ContextView>created(
                                URI.create("/api/v1/orgs/" + orgId + "/contexts/" + context.id))
                        .entity(ContextView.of(context))
                        .build());
    }

    @Operation(summary = "List an organization's contexts")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @GET
    public Uni<List<ContextView>> list(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return contexts.list(orgId)
                .map(list -> list.stream().map(ContextView::of).toList());
    }

    @Operation(summary = "Read a context")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/{contextId}")
    public Uni<ContextView> get(@PathParam("orgId") UUID orgId, @PathParam("contextId") UUID contextId) {
        access.requireOrg(orgId);
        return contexts.get(orgId, contextId).map(ContextView::of);
    }

    @Operation(summary = "Rename a context")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @PATCH
    @Path("/{contextId}")
    public Uni<ContextView> rename(
            @PathParam("orgId") UUID orgId,
            @PathParam("contextId") UUID contextId,
            @Valid @NotNull ContextRequest request) {
        access.requireOrg(orgId);
        return contexts.rename(orgId, contextId, request.name(), access.actor()).map(ContextView::of);
    }

    @Operation(summary = "Delete a context with its variables and restrictions")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @DELETE
    @Path("/{contextId}")
    public Uni<Void> delete(@PathParam("orgId") UUID orgId, @PathParam("contextId") UUID contextId) {
        access.requireOrg(orgId);
        return contexts.delete(orgId, contextId, access.actor());
    }
}
