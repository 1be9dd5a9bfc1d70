package dev.keyless.context.context.rest;

import dev.keyless.context.context.rest.ContextApi.VariableRequest;
import dev.keyless.context.context.rest.ContextApi.VariableView;
import dev.keyless.context.context.service.VariableService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.UUID;

/** Variables of a context: values go in, only names and masked hints come out. */
@Path("/api/v1/orgs/{orgId}/contexts/{contextId}/env")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.ORG_ADMIN, AdminAccess.PLATFORM_ADMIN})
public class VariableResource {

    private final VariableService variables;
    private final AdminAccess access;

    public VariableResource(VariableService variables, AdminAccess access) {
        this.variables = variables;
        this.access = access;
    }

    @Operation(summary = "List a context's variables (names and masked hints, never values)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    public Uni<List<VariableView>> list(@PathParam("orgId") UUID orgId, @PathParam("contextId") UUID contextId) {
        access.requireOrg(orgId);
        return variables
                .list(orgId, contextId)
                .map(list -> list.stream().map(VariableView::of).toList());
    }

    @Operation(summary = "Set a variable's value (encrypted at rest)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @PUT
    @Path("/{name}")
    public Uni<VariableView> set(
            @PathParam("orgId") UUID orgId,
            @PathParam("contextId") UUID contextId,
            @PathParam("name") String name,
            @Valid @NotNull VariableRequest request) {
        access.requireOrg(orgId);
        return variables
                .set(orgId, contextId, name, request.value(), access.actor())
                .map(VariableView::of);
    }

    @Operation(summary = "Delete a variable")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @DELETE
    @Path("/{name}")
    public Uni<Void> delete(
            @PathParam("orgId") UUID orgId, @PathParam("contextId") UUID contextId, @PathParam("name") String name) {
        access.requireOrg(orgId);
        return variables.delete(orgId, contextId, name, access.actor());
    }
}
