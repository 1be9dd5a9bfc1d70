package dev.keyless.scheduler.org.rest;

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

    @POST
    @Path("/orgs")
    @ResponseStatus(201)
    @RolesAllowed(AdminAccess.PLATFORM_ADMIN)
    public Uni<OrgView> createOrg(@Valid @NotNull CreateOrg request) {
        return orgs.createOrg(request.name()).map(org -> new OrgView(org.id, org.name));
    }

    @GET
    @Path("/orgs/{orgId}")
    public Uni<OrgView> org(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return orgs.org(orgId).map(org -> new OrgView(org.id, org.name));
    }

    @POST
    @Path("/orgs/{orgId}/projects")
    @ResponseStatus(201)
    public Uni<ProjectView> createProject(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateProject request) {
        access.requireOrg(orgId);
        return orgs.createProject(orgId, request.name(), request.vcsOrigin()).map(OrgResource::view);
    }

    @GET
    @Path("/projects/{projectId}")
    public Uni<ProjectView> project(@PathParam("projectId") UUID projectId) {
        AdminAccess.Caller caller = access.caller();
        return orgs.project(projectId)
                .invoke(project -> caller.requireOrg(project.orgId))
                .map(OrgResource::view);
    }

    @POST
    @Path("/orgs/{orgId}/groups")
    @ResponseStatus(201)
    public Uni<GroupView> createGroup(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateGroup request) {
        access.requireOrg(orgId);
        return orgs.createGroup(orgId, request.name()).map(OrgResource::view);
    }

    @GET
    @Path("/orgs/{orgId}/groups")
    public Uni<List<GroupView>> groups(@PathParam("orgId") UUID orgId) {
        access.requireOrg(orgId);
        return orgs.groups(orgId).map(groups -> groups.stream().map(OrgResource::view).toList());
    }

    @POST
    @Path("/orgs/{orgId}/users")
    @ResponseStatus(201)
    public Uni<UserView> createUser(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateUser request) {
        access.requireOrg(orgId);
        return orgs.createUser(orgId, request.name(), request.groups()).map(OrgResource::view);
    }

    @GET
    @Path("/orgs/{orgId}/users/{userId}")
    public Uni<UserView> user(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        access.requireOrg(orgId);
        return orgs.member(orgId, userId).map(OrgResource::view);
    }

    @PUT
    @Path("/orgs/{orgId}/users/{userId}/groups")
    public Uni<UserView> setGroups(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId,
                                   @Valid @NotNull SetGroups request) {
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
