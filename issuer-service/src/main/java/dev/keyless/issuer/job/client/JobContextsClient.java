package dev.keyless.issuer.job.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.security.ServiceToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.UUID;

/**
 * context-service's internal API (contracts.md): the contexts a running job may use now, decided as its environment
 * pull decides. The call carries the service credential and the job's own credential.
 */
@RegisterRestClient(configKey = "context")
@Path("/internal/v1/jobs")
public interface JobContextsClient {

    @GET
    @Path("/{jobId}/contexts")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<AllowedContexts> allowedContexts(
            @PathParam("jobId") UUID jobId,
            @HeaderParam(ServiceToken.HEADER) String serviceToken,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String jobCredential);

    /** {@code {"context_ids": [...]}}: the job's contexts, in its order, every one still allowed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AllowedContexts(@JsonProperty("context_ids") List<UUID> contextIds) {}

    /** A refusal or failure of context-service, with the problem detail it gave (a sentence, never a secret). */
    final class Refused extends RuntimeException {

        private final int status;
        private final String detail;

        public Refused(int status, String detail) {
            super("context-service answered " + status, null, false, false);
            this.status = status;
            this.detail = detail;
        }

        public int status() {
            return status;
        }

        public String detail() {
            return detail;
        }
    }

    @ClientExceptionMapper
    static RuntimeException refused(Response response) {
        String detail = null;
        if (response.hasEntity()) {
            try {
                ProblemBody body = response.readEntity(ProblemBody.class);
                detail = body == null ? null : body.detail();
            } catch (RuntimeException unreadable) {
                // not a problem body (a proxy's page, say): the status alone decides
            }
        }
        return new Refused(response.getStatus(), detail);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProblemBody(@JsonProperty("detail") String detail) {}
}
