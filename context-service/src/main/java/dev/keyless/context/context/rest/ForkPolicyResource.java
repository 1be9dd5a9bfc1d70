package dev.keyless.context.context.rest;

import dev.keyless.context.context.rest.ContextApi.ForkPolicyView;
import dev.keyless.context.context.service.ForkPolicyService;
import dev.keyless.context.web.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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

    @GET
    public Uni<ForkPolicyView> get(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return policy.allowedProjects(orgId).map(ForkPolicyView::new);
    }

    @PUT
    @Path("/projects/{projectId}")
    public Uni<Void> allow(@PathParam("orgId") UUID orgId, @PathParam("projectId") UUID projectId) {
        access.requireOrg(orgId);
        return policy.allow(orgId, projectId, access.actor());
    }

    @DELETE
    @Path("/projects/{projectId}")
    public Uni<Void> revoke(@PathParam("orgId") UUID orgId, @PathParam("projectId") UUID projectId) {
        access.requireOrg(orgId);
        return policy.revoke(orgId, projectId, access.actor());
    }
}
