package dev.keyless.context.jobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyless.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.UUID;

/**
 * issuer-service's internal API (contracts.md): the job's cached OIDC tokens. The call carries the service
 * credential and the job's own credential, so the issuer hands out only that job's tokens.
 */
@RegisterRestClient(configKey = "issuer")
@Path("/internal/v1/jobs")
public interface IssuerTokenClient {

    @GET
    @Path("/{jobId}/oidc-tokens")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<OidcTokens> tokens(
            @PathParam("jobId") UUID jobId,
            @HeaderParam(ServiceToken.HEADER) String serviceToken,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String jobCredential);

    /** {@code {"v1": "...", "v2": "...", "expires_at": "..."}}; the tokens are secrets (never logged). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record OidcTokens(
            @JsonProperty("v1") String v1,
            @JsonProperty("v2") String v2,
            @JsonProperty("expires_at") String expiresAt) {

        @Override
        public String toString() {
            return "OidcTokens[expires_at=" + expiresAt + "]";
        }
    }
}
