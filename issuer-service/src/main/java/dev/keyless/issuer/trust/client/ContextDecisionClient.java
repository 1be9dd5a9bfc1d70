package dev.keyless.issuer.trust.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.UUID;

/**
 * context-service's internal context decision (contracts.md): whether a would-be job could use its contexts, decided
 * by the code a real job goes through. Service token only.
 */
@RegisterRestClient(configKey = "context")
@Path("/internal/v1/orgs")
public interface ContextDecisionClient {

    @POST
    @Path("/{orgId}/context-decisions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<ContextDecision> decide(
            @PathParam("orgId") UUID orgId, @HeaderParam(ServiceToken.HEADER) String serviceToken, WouldBeJob job);

    record WouldBeJob(
            @JsonProperty("project_id") UUID projectId,
            @JsonProperty("context_names") List<String> contextNames,
            @JsonProperty("vcs_origin") String vcsOrigin,
            @JsonProperty("vcs_ref") String vcsRef,
            @JsonProperty("trigger_source") String triggerSource,
            @JsonProperty("ssh_rerun") boolean sshRerun,
            @JsonProperty("job_name") String jobName,
            @JsonProperty("actor_groups") List<String> actorGroups) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContextDecision(
            @JsonProperty("allowed") boolean allowed,
            @JsonProperty("context_ids") List<UUID> contextIds,
            @JsonProperty("denied_context") String deniedContext,
            @JsonProperty("reason") String reason) {}
}
