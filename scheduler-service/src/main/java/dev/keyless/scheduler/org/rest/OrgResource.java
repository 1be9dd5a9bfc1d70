package dev.keyless.scheduler.org.rest;

import dev.keyless.problem.ProblemResponses;
import dev.keyless.scheduler.org.model.OrgGroup;
import dev.keyless.scheduler.org.model.Project;
import dev.keyless.scheduler.org.rest.OrgApi.CreateGroup;
import dev.keyless.scheduler.org.rest.OrgApi.CreateOrg;
import dev.keyless.scheduler.org.rest.OrgApi.CreateProject;
import dev.keyless.scheduler.org.rest.OrgApi.CreateUser;
import dev.keyless.scheduler.org.rest.OrgApi.GroupView;
import dev.keyless.scheduler.org.rest.OrgApi.OrgView;
import dev.keyless.scheduler.org.rest.OrgApi.ProjectView;
import dev.keyless.scheduler.org.rest.OrgApi.SetGroups;
import dev.keyless.scheduler.org.rest.OrgApi.UserView;
import dev.keyless.scheduler.org.service.OrgService;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import java.util.UUID;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.PLATFORM_ADMIN, AdminAccess.ORG_ADMIN})
public class OrgResource {

    private final OrgService orgs;
    private final AdminAccess access;

    public OrgResource(OrgService orgs, AdminAccess access) {
        this.orgs = orgs;
        this.access = access;
    }

    @Operation(summary = "Create an organization (platform admins only)")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrgView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @POST
    @Path("/orgs")
    @ResponseStatus(201)
    @RolesAllowed(AdminAccess.PLATFORM_ADMIN)
    public Uni<OrgView> createOrg(@Valid @NotNull CreateOrg request) {
        return orgs.createOrg(request.name()).map(org -> new OrgView(org.id, org.name));
    }

    @Operation(summary = "Read an organization")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/orgs/{orgId}")
    public Uni<OrgView> org(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return orgs.org(orgId).map(org -> new OrgView(org.id, org.name));
    }

    @Operation(summary = "Create a project in an organization")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @POST
    @Path("/orgs/{orgId}/projects")
    @ResponseStatus(201)
    public Uni<ProjectView> createProject(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateProject request) {
        access.requireOrg(orgId);
        return orgs.createProject(orgId, request.name(), request.vcsOrigin()).map(OrgResource::view);
    }

    @Operation(summary = "Read a project")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/projects/{projectId}")
    public Uni<ProjectView> project(@PathParam("projectId") UUID projectId) {
        AdminAccess.Caller caller = access.caller();
        return orgs.project(projectId)
                .invoke(project -> caller.requireOrg(project.orgId))
                .map(OrgResource::view);
    }

    @Operation(summary = "Create a group in an organization")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @POST
    @Path("/orgs/{orgId}/groups")
    @ResponseStatus(201)
    public Uni<GroupView> createGroup(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateGroup request) {
        access.requireOrg(orgId);
        return orgs.createGroup(orgId, request.name()).map(OrgResource::view);
    }

    @Operation(summary = "List an organization's groups")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/orgs/{orgId}/groups")
    public Uni<List<GroupView>> groups(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return orgs.groups(orgId)
                .map(groups -> groups.stream().map(OrgResource::view).toList());
    }

    @Operation(summary = "Create a user in an organization, with its groups")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @POST
    @Path("/orgs/{orgId}/users")
    @ResponseStatus(201)
    public Uni<UserView> createUser(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateUser request) {
        access.requireOrg(orgId);
        return orgs.createUser(orgId, request.name(), request.groups()).map(OrgResource::view);
    }

    @Operation(summary = "Read a user of an organization and its groups")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/orgs/{orgId}/users/{userId}")
    public Uni<UserView> user(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        access.requireOrg(orgId);
        return orgs.member(orgId, userId).map(OrgResource::view);
    }

    @Operation(summary = "Replace a user's groups")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @PUT
    @Path("/orgs/{orgId}/users/{userId}/groups")
    public Uni<UserView> setGroups(
            @PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId, @Valid @NotNull SetGroups request) {
        access.requireOrg(orgId);
        return orgs.setGroups(orgId, userId, request.groups()).map(OrgResource::view);
    }

    private static UserView view(OrgService.Member member) {
        return new UserView(member.user().id, member.user().orgId, member.user().name, member.groups());
    }

    private static ProjectView view(Project project) {
        return new ProjectView(project.id, project.orgId, project.name, project.vcsOrigin);
    }

    private static GroupView view(OrgGroup group) {
        return new GroupView(group.id, group.orgId, group.name);
    }
}
