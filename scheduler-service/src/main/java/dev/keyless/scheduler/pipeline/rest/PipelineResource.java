package dev.keyless.scheduler.pipeline.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.IgnoredPropertyException;
import dev.keyless.problem.JsonProblems;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.scheduler.config.SchedulerConfig;
import dev.keyless.scheduler.org.service.OrgService;
import dev.keyless.scheduler.pipeline.definition.CircleConfigParser;
import dev.keyless.scheduler.pipeline.definition.Limits;
import dev.keyless.scheduler.pipeline.definition.PipelineValidator;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest;
import dev.keyless.scheduler.pipeline.rest.PipelineApi.JobView;
import dev.keyless.scheduler.pipeline.rest.PipelineApi.PipelineSummary;
import dev.keyless.scheduler.pipeline.rest.PipelineApi.PipelineView;
import dev.keyless.scheduler.pipeline.service.PipelineService;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({AdminAccess.PLATFORM_ADMIN, AdminAccess.ORG_ADMIN})
public class PipelineResource {

    public static final String YAML = "application/x-yaml";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private final PipelineService pipelines;
    private final OrgService orgs;
    private final AdminAccess access;
    private final PipelineValidator validator;
    private final Limits limits;

    /** The managed mapper, so a trigger body is read by the same strict rules as every other body. */
    private final ObjectMapper json;

    public PipelineResource(
            PipelineService pipelines, OrgService orgs, AdminAccess access, SchedulerConfig config, ObjectMapper json) {
        this.json = json;
        this.pipelines = pipelines;
        this.orgs = orgs;
        this.access = access;
        this.limits = Limits.of(config);
        this.validator = new PipelineValidator(limits);
    }

    @Operation(summary = "Trigger a pipeline from a JSON definition (Idempotency-Key optional)")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "422", ref = ProblemResponses.UNPROCESSABLE)
    @POST
    @Path("/projects/{projectId}/pipelines")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> triggerJson(
            @PathParam("projectId") UUID projectId,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            String body) {
        return trigger(projectId, idempotencyKey, "json", body, text -> {
            try {
                // a config's steps, environment and image come from YAML only: named in JSON they are refused, not
                // ignored
                TriggerRequest request = json.readerFor(TriggerRequest.class)
                        .with(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
                        .readValue(text);
                if (request == null) {
                    throw ProblemException.badRequest("the body must be a JSON object");
                }
                return request;
            } catch (IgnoredPropertyException e) {
                throw ProblemException.badRequest("field '" + e.getPropertyName() + "' comes from a CircleCI config "
                        + "only: post the config as application/x-yaml");
            } catch (JsonProcessingException e) {
                throw ProblemException.badRequest(JsonProblems.describe(e, "JSON"));
            }
        });
    }

    @Operation(summary = "Trigger a pipeline from a CircleCI 2.1 config (Idempotency-Key optional)")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "422", ref = ProblemResponses.UNPROCESSABLE)
    @POST
    @Path("/projects/{projectId}/pipelines")
    @Consumes({YAML, "application/yaml", "text/yaml"})
    public Uni<Response> triggerYaml(
            @PathParam("projectId") UUID projectId,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @QueryParam("ref") String ref,
            @QueryParam("branch") String branch,
            @QueryParam("tag") String tag,
            @QueryParam("revision") String revision,
            @QueryParam("trigger_source") String triggerSource,
            @QueryParam("user_id") String userId,
            String body) {
        String parameters = String.join(
                "\n",
                String.valueOf(ref),
                String.valueOf(branch),
                String.valueOf(tag),
                String.valueOf(revision),
                String.valueOf(triggerSource),
                String.valueOf(userId));
        return trigger(
                projectId,
                idempotencyKey,
                "yaml\n" + parameters,
                body,
                text -> CircleConfigParser.parse(text, ref, branch, tag, revision, triggerSource, uuid(userId)));
    }

    private Uni<Response> trigger(
            UUID projectId,
            String idempotencyKey,
            String hashPrefix,
            String body,
            Function<String, TriggerRequest> parser) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest("Idempotency-Key: 1-200 printable ASCII characters without spaces");
        }
        AdminAccess.Caller caller = access.caller();
        return orgs.project(projectId)
                .chain(project -> {
                    caller.requireOrg(project.orgId);
                    if (body == null || body.isBlank()) {
                        throw ProblemException.badRequest("a pipeline definition is required in the body");
                    }
                    if (body.getBytes(StandardCharsets.UTF_8).length > limits.maxConfigBytes()) {
                        throw ProblemException.badRequest(
                                "the pipeline definition is larger than " + limits.maxConfigBytes() + " bytes");
                    }
                    var definition = validator.validate(parser.apply(body));
                    return pipelines.trigger(project, definition, idempotencyKey, sha256(hashPrefix + "\n" + body));
                })
                .map(graph ->
                        Response.status(201).entity(PipelineView.of(graph)).build());
    }

    @Operation(summary = "List a project's recent pipelines, newest first")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/projects/{projectId}/pipelines")
    public Uni<List<PipelineSummary>> recent(
            @PathParam("projectId") UUID projectId, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw ProblemException.badRequest("limit: must be between 1 and 500");
        }
        AdminAccess.Caller caller = access.caller();
        return orgs.project(projectId)
                .invoke(project -> caller.requireOrg(project.orgId))
                .chain(project -> pipelines.recent(projectId, limit))
                .map(recent -> recent.stream().map(PipelineSummary::of).toList());
    }

    @Operation(summary = "Read a pipeline with its workflows and jobs")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/pipelines/{pipelineId}")
    public Uni<PipelineView> pipeline(@PathParam("pipelineId") UUID pipelineId) {
        AdminAccess.Caller caller = access.caller();
        return pipelines
                .pipeline(pipelineId)
                .invoke(graph -> caller.requireOrg(graph.pipeline().orgId))
                .map(PipelineView::of);
    }

    @Operation(summary = "Cancel a pipeline's unfinished jobs")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @POST
    @Path("/pipelines/{pipelineId}/cancel")
    public Uni<PipelineView> cancel(@PathParam("pipelineId") UUID pipelineId) {
        AdminAccess.Caller caller = access.caller();
        return pipelines
                .pipeline(pipelineId)
                .invoke(graph -> caller.requireOrg(graph.pipeline().orgId))
                .chain(graph -> pipelines.cancel(pipelineId, "the pipeline was canceled"))
                .map(PipelineView::of);
    }

    @Operation(summary = "Read a job")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/jobs/{jobId}")
    public Uni<JobView> job(@PathParam("jobId") UUID jobId) {
        AdminAccess.Caller caller = access.caller();
        return pipelines.job(jobId).invoke(job -> caller.requireOrg(job.orgId)).map(JobView::of);
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("user_id: must be a UUID");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
