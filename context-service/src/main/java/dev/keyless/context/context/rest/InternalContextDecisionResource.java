package dev.keyless.context.context.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.context.config.InternalApiConfig;
import dev.keyless.context.context.service.ContextAuthorizer;
import dev.keyless.context.context.service.JobFacts;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.ServiceToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.UUID;

/**
 * issuer-service's claims preview asks here whether a would-be job could use its contexts. The decision is
 * {@link ContextAuthorizer}'s, the code a real JobStarted goes through, so a denial carries the reason the real job
 * would get; nothing is stored and no metric counts it. Service token only: there is no job, so no job credential.
 */
@Path("/internal/v1/orgs/{orgId}/context-decisions")
@PermitAll
public class InternalContextDecisionResource {

    private static final int MAX_CONTEXTS = 100;

    private final ServiceToken serviceToken;
    private final ContextAuthorizer authorizer;

    public InternalContextDecisionResource(InternalApiConfig config, ContextAuthorizer authorizer) {
        this.serviceToken = new ServiceToken(config.token());
        this.authorizer = authorizer;
    }

    /** The would-be job: what JobStarted would carry, minus its ids. */
    public record WouldBeJob(
            @JsonProperty("project_id") UUID projectId,
            @JsonProperty("context_names") List<String> contextNames,
            @JsonProperty("vcs_origin") String vcsOrigin,
            @JsonProperty("vcs_ref") String vcsRef,
            @JsonProperty("trigger_source") String triggerSource,
            @JsonProperty("ssh_rerun") boolean sshRerun,
            @JsonProperty("job_name") String jobName,
            @JsonProperty("actor_groups") List<String> actorGroups) {}

    /** The contexts (ids in the job's order) or the denial a real job of this shape would get. */
    public record ContextDecision(
            @JsonProperty("allowed") boolean allowed,
            @JsonProperty("context_ids") List<UUID> contextIds,
            @JsonProperty("denied_context") String deniedContext,
            @JsonProperty("denial_kind") String denialKind,
            @JsonProperty("reason") String reason) {}

    @Operation(summary = "Decide whether a would-be job may use the named contexts (service token; for issuer-service)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ContextDecision> decide(
            @PathParam("orgId") UUID orgId,
            @HeaderParam(ServiceToken.HEADER) String presentedServiceToken,
            WouldBeJob job) {
        serviceToken.require(presentedServiceToken);
        if (job == null || job.projectId() == null || job.contextNames() == null) {
            throw ProblemException.badRequest("project_id and context_names are required");
        }
        if (job.contextNames().size() > MAX_CONTEXTS) {
            throw ProblemException.badRequest("at most " + MAX_CONTEXTS + " contexts");
        }
        JobFacts facts = new JobFacts(
                job.projectId(),
                null,
                null,
                job.jobName(),
                job.actorGroups(),
                job.vcsOrigin(),
                job.vcsRef(),
                null,
                job.triggerSource(),
                job.sshRerun());
        return Panache.withSession(() -> authorizer.previewByNames(orgId, job.contextNames(), facts))
                .map(decision -> decision.denial()
                        .map(denial -> new ContextDecision(
                                false, List.of(), denial.contextName(), denial.kind(), denial.reason()))
                        .orElseGet(() -> new ContextDecision(
                                true,
                                decision.contexts().stream()
                                        .map(context -> context.id)
                                        .toList(),
                                null,
                                null,
                                null)));
    }
}
