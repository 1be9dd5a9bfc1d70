package dev.keyless.context.jobs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.context.config.InternalApiConfig;
import dev.keyless.context.jobs.service.JobAccessService;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    static final String SERVICE_TOKEN_HEADER = "X-Keyless-Service-Token";

    private final byte[] serviceToken;
    private final JobAccessService access;

    public InternalJobContextsResource(InternalApiConfig config, JobAccessService access) {
        this.serviceToken = sha256(config.token());
        this.access = access;
    }

    /** The contexts the job may use now; a denial is a 403 problem whose detail is the reason. */
    public record AllowedContexts(@JsonProperty("context_ids") List<UUID> contextIds) {
    }

    @Operation(summary = "The contexts a job may use (service token and the job's credential; for issuer-service)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AllowedContexts> allowedContexts(@PathParam("jobId") UUID jobId,
            @HeaderParam(SERVICE_TOKEN_HEADER) String presentedServiceToken,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (presentedServiceToken == null || !MessageDigest.isEqual(serviceToken, sha256(presentedServiceToken))) {
            throw ProblemException.unauthorized("a valid service token is required");
        }
        return access.allowedContexts(jobId, authorization).map(AllowedContexts::new);
    }

    /** Compared as digests so that neither the time taken nor an early exit tells a caller the token's length. */
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
