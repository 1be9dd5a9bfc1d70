package dev.keyless.issuer.trust.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.issuer.trust.service.ProjectJobs;
import dev.keyless.issuer.trust.service.SubjectTemplate;
import dev.keyless.issuer.trust.service.SubjectTemplateService;
import dev.keyless.issuer.trust.service.SubjectTemplates;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Subject templates of an org and of a project (which overrides its org's). Each POST saves a new version that takes
 * effect at {@code activate_at}; GET lists the versions, which is also their audit (who, when, what).
 */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SubjectTemplateResource {

    private final SubjectTemplateService service;
    private final SubjectTemplates templates;
    private final ProjectJobs jobs;
    private final AdminAccess admin;

    public SubjectTemplateResource(
            SubjectTemplateService service, SubjectTemplates templates, ProjectJobs jobs, AdminAccess admin) {
        this.service = service;
        this.templates = templates;
        this.jobs = jobs;
        this.admin = admin;
    }

    /** @param activateAt when the version takes effect; absent for now */
    public record TemplateRequest(
            @JsonProperty("claim_keys") List<String> claimKeys, @JsonProperty("activate_at") Instant activateAt) {}

    /** @param status {@code active}, {@code pending} or {@code superseded} */
    public record TemplateView(
            @JsonProperty("org_id") UUID orgId,
            @JsonProperty("project_id") UUID projectId,
            @JsonProperty("version") int version,
            @JsonProperty("claim_keys") List<String> claimKeys,
            @JsonProperty("activate_at") Instant activateAt,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("status") String status) {}

    @Operation(summary = "Save a new version of the organization's subject template (optionally activating later)")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TemplateView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "422", ref = ProblemResponses.UNPROCESSABLE)
    @POST
    @Path("/orgs/{orgId}/oidc/subject-templates")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> saveForOrg(@PathParam("orgId") UUID orgId, TemplateRequest request) {
        admin.requireOrg(orgId);
        return save(orgId, null, request);
    }

    @Operation(summary = "List the versions of the organization's subject template")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @GET
    @Path("/orgs/{orgId}/oidc/subject-templates")
    public List<TemplateView> listForOrg(@PathParam("orgId") UUID orgId) {
        admin.requireOrg(orgId);
        return views(orgId, null);
    }

    @Operation(summary = "Save a new version of a project's subject template (optionally activating later)")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TemplateView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "422", ref = ProblemResponses.UNPROCESSABLE)
    @POST
    @Path("/projects/{projectId}/oidc/subject-templates")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> saveForProject(@PathParam("projectId") UUID projectId, TemplateRequest request) {
        return Panache.withSession(() -> jobs.latest(projectId)).chain(latest -> {
            admin.requireOrg(latest.orgId);
            return save(latest.orgId, projectId, request);
        });
    }

    @Operation(summary = "List the versions of a project's subject template")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/projects/{projectId}/oidc/subject-templates")
    public Uni<List<TemplateView>> listForProject(@PathParam("projectId") UUID projectId) {
        return Panache.withSession(() -> jobs.latest(projectId)).map(latest -> {
            admin.requireOrg(latest.orgId);
            return views(latest.orgId, projectId);
        });
    }

    private Uni<Response> save(UUID orgId, UUID projectId, TemplateRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("claim_keys is required");
        }
        return service.save(orgId, projectId, request.claimKeys(), request.activateAt(), admin.actor())
                .map(saved -> Response.status(Response.Status.CREATED)
                        .entity(view(
                                saved,
                                templates
                                        .effective(orgId, projectId, Instant.now())
                                        .orElse(null)))
                        .build());
    }

    private List<TemplateView> views(UUID orgId, UUID projectId) {
        SubjectTemplate active = templates
                .effective(orgId, projectId, Instant.now())
                .filter(t -> Objects.equals(t.projectId(), projectId))
                .orElse(null);
        return templates.versions(orgId, projectId).stream()
                .map(t -> view(t, active))
                .toList();
    }

    private static TemplateView view(SubjectTemplate template, SubjectTemplate active) {
        String status = template.activateAt().isAfter(Instant.now())
                ? "pending"
                : active != null
                                && active.version() == template.version()
                                && Objects.equals(active.projectId(), template.projectId())
                        ? "active"
                        : "superseded";
        return new TemplateView(
                template.orgId(),
                template.projectId(),
                template.version(),
                template.keys(),
                template.activateAt(),
                template.createdAt(),
                template.createdBy(),
                status);
    }
}
