package dev.keyless.context.jobs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.context.config.InternalApiConfig;
import dev.keyless.context.jobs.service.JobAccessService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.UUID;

/**
 * issuer-service asks here, before each on-demand token, which contexts the job may still use. Two credentials
 * bind the call: the service token (this is issuer-service) and the job's own credential (for this job, still
 * running), so the answer is about that job only.
 */
@Path("/internal/v1/jobs/{jobId}/contexts")
@PermitAll
public class InternalJobContextsResource {

    private final ServiceToken serviceToken;
    private final JobAccessService access;

    public InternalJobContextsResource(InternalApiConfig config, JobAccessService access) {
        this.serviceToken = new ServiceToken(config.token());
        this.access = access;
    }

    /** The contexts the job may use now; a denial is a 403 problem whose detail is the reason. */
    public record AllowedContexts(@JsonProperty("context_ids") List<UUID> contextIds) {}

    @Operation(summary = "The contexts a job may use (service token and the job's credential; for issuer-service)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AllowedContexts> allowedContexts(
            @PathParam("jobId") UUID jobId,
            @HeaderParam(ServiceToken.HEADER) String presentedServiceToken,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        serviceToken.require(presentedServiceToken);
        return access.allowedContexts(jobId, authorization).map(AllowedContexts::new);
    }
}
