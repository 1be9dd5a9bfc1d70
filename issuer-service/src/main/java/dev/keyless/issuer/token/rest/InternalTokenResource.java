package dev.keyless.issuer.token.rest;

import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import dev.keyless.issuer.InternalApiConfig;
import dev.keyless.problem.ProblemException;
import dev.keyless.issuer.token.service.TokenService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * context-service fetches a job's environment tokens here. Two credentials bind the call: the service token
 * (this is context-service) and the job's own credential (for this job, which is still running).
 */
@Path("/internal/v1/jobs/{jobId}/oidc-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class InternalTokenResource {

    static final String SERVICE_TOKEN_HEADER = "X-Keyless-Service-Token";

    private final byte[] serviceToken;
    private final JobCredentialVerifier credentials;
    private final TokenService tokens;

    public InternalTokenResource(InternalApiConfig config, JobCredentialVerifier credentials, TokenService tokens) {
        this.serviceToken = sha256(config.token());
        this.credentials = credentials;
        this.tokens = tokens;
    }

    @GET
    public Uni<Response> environmentTokens(@PathParam("jobId") String jobId,
                                           @HeaderParam(SERVICE_TOKEN_HEADER) String presentedServiceToken,
                                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (presentedServiceToken == null
                || !MessageDigest.isEqual(serviceToken, sha256(presentedServiceToken))) {
            throw ProblemException.unauthorized("a valid service token is required");
        }
        UUID id = JobIds.parse(jobId);
        JobCredential credential = credentials.verify(authorization, id);
        return tokens.runningJob(id, credential)
                .chain(tokens::environmentTokens)
                .map(pair -> Response.ok(new EnvironmentTokensResponse(pair.v1(), pair.v2(), pair.expiresAt()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
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
