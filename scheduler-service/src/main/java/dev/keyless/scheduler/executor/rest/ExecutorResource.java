package dev.keyless.scheduler.executor.rest;

import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.scheduler.config.SchedulerConfig;
import dev.keyless.scheduler.executor.service.BuiltInEnvironment;
import dev.keyless.scheduler.executor.service.ExecutorService;
import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.JobStep;
import dev.keyless.scheduler.pipeline.rest.PipelineApi.JobView;
import dev.keyless.scheduler.security.ExecutorAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The executor API. Claim takes the executor token; heartbeat and complete take the job credential handed out
 * by the claim, which works only for that job and only while it runs.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutorResource {

    private final ExecutorService executors;
    private final ExecutorAuthenticator executorAuthenticator;
    private final JobCredentialVerifier credentials;
    private final SchedulerConfig config;
    private final BuiltInEnvironment builtIn;

    public ExecutorResource(
            ExecutorService executors,
            ExecutorAuthenticator executorAuthenticator,
            JobCredentialVerifier credentials,
            SchedulerConfig config,
            BuiltInEnvironment builtIn) {
        this.builtIn = builtIn;
        this.executors = executors;
        this.executorAuthenticator = executorAuthenticator;
        this.credentials = credentials;
        this.config = config;
    }

    /**
     * The claim response; {@code credential} is a secret for this job only. The pipeline and workflow ids let a
     * runner label what it starts for the job (the Kubernetes operator labels the job's Pod with them). An executor
     * that runs steps runs {@code steps} (null for a job triggered with a plain command: it runs {@code command});
     * an older one runs {@code command}, which holds the steps as one script.
     *
     * @param environment         the job's own variables from its config, over the contexts'
     * @param builtinEnvironment  the {@code CIRCLE_*} variables, under the contexts'
     * @param image               the first image of the job's executor, for a container runner
     * @param vcsOrigin           with {@code revision}: what a checkout step clones
     */
    public record ClaimResponse(
            UUID jobId,
            UUID orgId,
            UUID projectId,
            UUID pipelineId,
            UUID workflowId,
            String name,
            String command,
            int timeoutSeconds,
            String credential,
            List<JobStep> steps,
            Map<String, String> environment,
            Map<String, String> builtinEnvironment,
            String image,
            String vcsOrigin,
            String vcsRef,
            String revision) {}

    /** The heartbeat response: the claim's credential renewed (a secret: the executor keeps only the newest). */
    public record HeartbeatResponse(String credential, Instant expiresAt) {}

    /** Longest {@code reason} a runner may give for a failure; it is shown to users as the job's status reason. */
    static final int MAX_REASON_LENGTH = 500;

    /**
     * @param reason optional, only with a non-zero exit code: why the job failed when the runner knows better than
     *               the exit code (the Kubernetes operator: "the job image could not be pulled")
     */
    public record CompleteRequest(Integer exitCode, String reason) {}

    @Operation(summary = "Claim a runnable job (executor token); long-polls up to wait_seconds, 204 when none")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "204", description = "No content")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @POST
    @Path("/executor/claim")
    public Uni<Response> claim(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("wait_seconds") Integer waitSeconds,
            @QueryParam("project_id") UUID projectId) {
        executorAuthenticator.authenticate(authorization);
        int wait = waitSeconds == null ? 0 : waitSeconds;
        if (wait < 0 || wait > config.claim().maxWaitSeconds()) {
            throw ProblemException.badRequest(
                    "wait_seconds: must be between 0 and " + config.claim().maxWaitSeconds());
        }
        return executors
                .claim(projectId, wait)
                .chain(claimed -> claimed == null
                        ? Uni.createFrom().item(Response.noContent().build())
                        : builtIn.pipeline(claimed.job()).map(pipeline -> {
                            Job job = claimed.job();
                            return Response.ok(new ClaimResponse(
                                            job.id,
                                            job.orgId,
                                            job.projectId,
                                            job.pipelineId,
                                            job.workflowId,
                                            job.name,
                                            job.command,
                                            job.timeoutSeconds,
                                            claimed.credential().token(),
                                            job.steps,
                                            job.environment == null ? Map.of() : job.environment,
                                            BuiltInEnvironment.of(job, pipeline),
                                            job.image,
                                            pipeline == null ? null : pipeline.vcsOrigin,
                                            pipeline == null ? null : pipeline.vcsRef,
                                            pipeline == null ? null : pipeline.revision))
                                    .header("Cache-Control", "no-store")
                                    .build();
                        }));
    }

    @Operation(summary = "Renew a running job's credential (job credential)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @POST
    @Path("/jobs/{jobId}/heartbeat")
    public Uni<Response> heartbeat(
            @PathParam("jobId") UUID jobId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        JobCredential credential = credentials.verify(authorization, jobId);
        return executors.heartbeat(credential).map(renewed -> Response.ok(
                        new HeartbeatResponse(renewed.token(), renewed.expiresAt()))
                .header("Cache-Control", "no-store")
                .build());
    }

    @Operation(summary = "Report a job's exit code (job credential)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @POST
    @Path("/jobs/{jobId}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<JobView> complete(
            @PathParam("jobId") UUID jobId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            CompleteRequest request) {
        // the credential is checked before the body is judged, so an unauthenticated caller learns nothing
        JobCredential credential = credentials.verify(authorization, jobId);
        if (request == null || request.exitCode() == null) {
            throw ProblemException.badRequest("exit_code: required");
        }
        if (request.exitCode() < 0 || request.exitCode() > 255) {
            throw ProblemException.badRequest(
                    "exit_code: must be between 0 and 255, the range of a process exit status");
        }
        String reason = request.reason() == null ? null : request.reason().strip();
        if (reason != null && (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH)) {
            throw ProblemException.badRequest("reason: must be 1 to " + MAX_REASON_LENGTH + " characters");
        }
        if (reason != null && request.exitCode() == 0) {
            throw ProblemException.badRequest("reason: only a failed job (exit_code other than 0) has a reason");
        }
        return executors.complete(credential, request.exitCode(), reason).map(JobView::of);
    }
}
