package dev.keyless.context.jobs.rest;

import dev.keyless.context.jobs.service.EnvironmentService;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/v1/jobs/{jobId}/environment} with the job credential: JSON by default, dotenv with
 * {@code ?format=dotenv} or {@code Accept: text/plain}. Never cached.
 */
@Path("/api/v1/jobs/{jobId}/environment")
@PermitAll
public class EnvironmentResource {

    private final EnvironmentService environments;

    public EnvironmentResource(EnvironmentService environments) {
        this.environments = environments;
    }

    public record EnvironmentView(UUID jobId, Map<String, String> variables, List<String> mask) {}

    @Operation(summary = "Pull a running job's environment (job credential); waits for the job's context resolution")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Uni<Response> environment(
            @PathParam("jobId") UUID jobId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean dotenv = dotenv(format, accept);
        return environments.pull(jobId, authorization).map(environment -> {
            Response.ResponseBuilder response = dotenv
                    ? Response.ok(
                            Dotenv.render(environment.variables()), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    : Response.ok(
                            new EnvironmentView(environment.jobId(), environment.variables(), environment.mask()),
                            MediaType.APPLICATION_JSON_TYPE);
            return response.header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header("Pragma", "no-cache")
                    .build();
        });
    }

    private static boolean dotenv(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "dotenv" -> true;
                case "json" -> false;
                default -> throw ProblemException.badRequest("format: must be json or dotenv");
            };
        }
        return accept != null && accept.contains(MediaType.TEXT_PLAIN) && !accept.contains(MediaType.APPLICATION_JSON);
    }
}
