package dev.keyless.context.context.rest;

import dev.keyless.context.context.rest.ContextApi.ForkPolicyView;
import dev.keyless.context.context.service.ForkPolicyService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.UUID;

/** Per-org list of projects whose forked pull-request jobs may use restricted contexts. */
@Path("/api/v1/orgs/{orgId}/fork-pull-requests")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.ORG_ADMIN, AdminAccess.PLATFORM_ADMIN})
public class ForkPolicyResource {

    private final ForkPolicyService policy;
    private final AdminAccess access;

    public ForkPolicyResource(ForkPolicyService policy, AdminAccess access) {
        this.policy = policy;
        this.access = access;
    }

    @Operation(summary = "List the projects whose fork pull requests may use contexts")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @GET
    public Uni<ForkPolicyView> get(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return policy.allowedProjects(orgId).map(ForkPolicyView::new);
    }

    @Operation(summary = "Let a project's fork pull requests use contexts")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @PUT
    @Path("/projects/{projectId}")
    public Uni<Void> allow(@PathParam("orgId") UUID orgId, @PathParam("projectId") UUID projectId) {
        access.requireOrg(orgId);
        return policy.allow(orgId, projectId, access.actor());
    }

    @Operation(summary = "Stop a project's fork pull requests from using contexts")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @DELETE
    @Path("/projects/{projectId}")
    public Uni<Void> revoke(@PathParam("orgId") UUID orgId, @PathParam("projectId") UUID projectId) {
        access.requireOrg(orgId);
        return policy.revoke(orgId, projectId, access.actor());
    }
}
