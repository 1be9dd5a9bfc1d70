package dev.keyless.issuer.trust.rest;

import dev.keyless.issuer.trust.service.PreviewService;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
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

import java.util.UUID;

/** The claims preview (dry run): what a would-be job of the project would receive; nothing signed or stored. */
@Path("/api/v1/projects/{projectId}/oidc/preview")
@Authenticated
public class PreviewResource {

    private final PreviewService previews;
    private final AdminAccess admin;

    public PreviewResource(PreviewService previews, AdminAccess admin) {
        this.previews = previews;
        this.admin = admin;
    }

    @Operation(summary = "Preview the claims a would-be job of the project would get")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PreviewView> preview(@PathParam("projectId") UUID projectId, PreviewRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a would-be job is required");
        }
        return previews.preview(projectId, request, admin::requireOrg);
    }
}
