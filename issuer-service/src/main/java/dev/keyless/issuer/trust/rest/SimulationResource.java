package dev.keyless.issuer.trust.rest;

import dev.keyless.issuer.IssuerUrls;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.trust.service.PreviewService;
import dev.keyless.issuer.trust.service.SubjectTemplates;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import dev.keyless.trust.policy.IssuerIdentity;
import dev.keyless.trust.policy.PolicyFormatException;
import dev.keyless.trust.policy.PolicyKind;
import dev.keyless.trust.policy.PolicySimulator;
import dev.keyless.trust.policy.Simulation;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The policy simulator: would this AWS trust policy, GCP provider or Vault role accept these claims, every check with
 * its outcome, and lint findings. With a would-be job, a job that gets no token at all is denied with that reason.
 */
@Path("/api/v1/orgs/{orgId}/oidc/simulate")
@Authenticated
public class SimulationResource {

    private static final PolicySimulator SIMULATOR = new PolicySimulator();

    private final PreviewService previews;
    private final SubjectTemplates templates;
    private final IssuerUrls urls;
    private final IssuerConfig config;
    private final AdminAccess admin;

    public SimulationResource(
            PreviewService previews,
            SubjectTemplates templates,
            IssuerUrls urls,
            IssuerConfig config,
            AdminAccess admin) {
        this.previews = previews;
        this.templates = templates;
        this.urls = urls;
        this.config = config;
        this.admin = admin;
    }

    @Operation(summary = "Simulate an AWS, GCP or Vault trust policy against given or previewed claims")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Simulation> simulate(@PathParam("orgId") UUID orgId, SimulationRequest request) {
        admin.requireOrg(orgId);
        if (request == null || request.policy() == null) {
            throw ProblemException.badRequest("type and policy are required");
        }
        PolicyKind kind = parse(request.type());
        if ((request.claims() == null) == (request.preview() == null)) {
            throw ProblemException.badRequest("give either claims or a preview (with project_id)");
        }
        if (request.claims() != null) {
            UUID project = projectOf(request.claims());
            return Uni.createFrom().item(run(kind, request, request.claims(), orgId, project));
        }
        if (request.projectId() == null) {
            throw ProblemException.badRequest("project_id is required with a preview");
        }
        String token = request.token() == null ? "v2" : request.token();
        return previews.preview(request.projectId(), request.preview(), projectOrg -> {
                    if (!projectOrg.equals(orgId)) {
                        throw ProblemException.notFound("no such project in this organization");
                    }
                })
                .map(preview -> {
                    Map<String, Object> claims =
                            switch (token) {
                                case "v1" -> preview.v1();
                                case "v2" -> preview.v2();
                                case "on_demand" -> preview.onDemand();
                                default -> throw ProblemException.badRequest("token must be v1, v2 or on_demand");
                            };
                    Simulation simulation = run(kind, request, claims, orgId, request.projectId());
                    if (preview.getsTokens()) {
                        return simulation;
                    }
                    return new Simulation(
                            simulation.type(),
                            false,
                            "Keyless would mint no token for this job: " + preview.reason(),
                            simulation.conditions(),
                            simulation.lint());
                });
    }

    private Simulation run(
            PolicyKind kind, SimulationRequest request, Map<String, Object> claims, UUID orgId, UUID projectId) {
        boolean defaultSubjects = templates
                .effective(orgId, projectId, Instant.now())
                .map(t -> t.isDefault())
                .orElse(true);
        IssuerIdentity issuer = new IssuerIdentity(urls.issuer(orgId), orgId, config.claimNamespace(), defaultSubjects);
        try {
            return SIMULATOR.simulate(kind, request.policy(), claims, issuer);
        } catch (PolicyFormatException e) {
            throw ProblemException.badRequest("policy: " + e.getMessage());
        }
    }

    private UUID projectOf(Map<String, Object> claims) {
        Object project = claims.get(config.claimNamespace() + "/project-id");
        try {
            return project == null ? null : UUID.fromString(project.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static PolicyKind parse(String type) {
        try {
            return PolicyKind.parse(type);
        } catch (PolicyFormatException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }
}
