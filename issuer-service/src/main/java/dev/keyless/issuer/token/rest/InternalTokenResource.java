package dev.keyless.issuer.token.rest;

import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import dev.keyless.issuer.config.InternalApiConfig;
import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.token.service.TokenService;
import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Duration;
import java.util.UUID;

/**
 * context-service fetches a job's environment tokens here. Two credentials bind the call: the service token
 * (this is context-service) and the job's own credential (for this job, which is still running).
 */
@Path("/internal/v1/jobs/{jobId}/oidc-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class InternalTokenResource {

    /** Signal channel of "a job's resolution was stored here" (topic: the job id), notified on its commit. */
    public static final String RESOLUTION_REACHED = "keyless_issuer_job_resolved";

    private final ServiceToken serviceToken;
    private final JobCredentialVerifier credentials;
    private final TokenService tokens;
    private final InternalApiConfig config;
    private final CommitSignals signals;

    public InternalTokenResource(
            InternalApiConfig config, JobCredentialVerifier credentials, TokenService tokens, CommitSignals signals) {
        this.serviceToken = new ServiceToken(config.token());
        this.credentials = credentials;
        this.tokens = tokens;
        this.config = config;
        this.signals = signals;
    }

    @Operation(
            summary =
                    "A running job's v1/v2 OIDC tokens for its environment (service token and job credential; for context-service)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    public Uni<Response> environmentTokens(
            @PathParam("jobId") String jobId,
            @HeaderParam(ServiceToken.HEADER) String presentedServiceToken,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        serviceToken.require(presentedServiceToken);
        UUID id = JobIds.parse(jobId);
        JobCredential credential = credentials.verify(authorization, id);
        return runningJob(
                        id,
                        credential,
                        System.nanoTime() + config.resolutionWait().toNanos())
                .chain(tokens::environmentTokens)
                .map(pair -> Response.ok(new EnvironmentTokensResponse(pair.v1(), pair.v2(), pair.expiresAt()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
    }

    /** The job once its resolution reached the issuer, woken by that commit; 503 when it did not within the wait. */
    private Uni<JobClaimsEntity> runningJob(UUID id, JobCredential credential, long deadline) {
        // taken before the look, so a resolution committed while the look runs still wakes this request
        CommitSignals.Waiter resolution = signals.waiter(RESOLUTION_REACHED, id.toString());
        return tokens.runningJob(id, credential)
                .invoke(resolution::cancel)
                .onFailure()
                .recoverWithUni(failure -> {
                    long left = deadline - System.nanoTime();
                    if (!(failure instanceof ProblemException problem) || problem.status() != 503 || left < 1_000_000) {
                        resolution.cancel();
                        return Uni.createFrom().failure(failure);
                    }
                    Context context = Vertx.currentContext();
                    return resolution
                            .await(Duration.ofNanos(left))
                            .emitOn(
                                    context == null
                                            ? Infrastructure.getDefaultExecutor()
                                            : task -> context.runOnContext(ignored -> task.run()))
                            .chain(() -> runningJob(id, credential, deadline));
                });
    }
}
