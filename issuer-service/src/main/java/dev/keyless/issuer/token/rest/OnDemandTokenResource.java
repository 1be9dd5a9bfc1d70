package dev.keyless.issuer.token.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.credential.JobCredential;
import dev.keyless.credential.JobCredentialVerifier;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.job.service.JobContextsService;
import dev.keyless.issuer.token.service.TokenService;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code circleci run oidc get --claims '{"aud":"..."}'}: a job asks, with its credential, for a token with an
 * audience of its choice. Only {@code audience} and {@code ttl_seconds} may be given; every claim is the issuer's.
 */
@Path("/api/v1/jobs/{jobId}/oidc-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OnDemandTokenResource {

    /** Printable, no spaces: what an audience (URL, ARN, client id) looks like. */
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private final JobCredentialVerifier credentials;
    private final TokenService tokens;
    private final JobContextsService jobContexts;
    private final IssuerConfig.OnDemand limits;
    private final Duration defaultTtl;

    public OnDemandTokenResource(
            JobCredentialVerifier credentials,
            TokenService tokens,
            JobContextsService jobContexts,
            IssuerConfig config) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.jobContexts = jobContexts;
        this.limits = config.onDemand();
        this.defaultTtl =
                config.tokenLifetime().compareTo(limits.maxTtl()) < 0 ? config.tokenLifetime() : limits.maxTtl();
    }

    @Operation(summary = "Mint an on-demand OIDC token for a running job (job credential; audience and ttl_seconds)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    public Uni<Response> mint(
            @PathParam("jobId") String jobId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            JsonNode body) {
        UUID id = JobIds.parse(jobId);
        JobCredential credential = credentials.verify(authorization, id);
        TokenRequest request = parse(body);
        return tokens.runningJob(id, credential)
                .invoke(job -> checkAudienceAllowed(job.orgId, request.audience()))
                .call(job -> tokens.checkRateLimit(job.jobId))
                // the contexts are confirmed per mint, as the environment pull confirms them: none, no token
                .chain(job -> jobContexts
                        .allowedContexts(id, authorization)
                        .chain(contextIds ->
                                tokens.onDemand(job, credential, contextIds, request.audience(), request.ttl())))
                .map(minted -> Response.ok(new OnDemandTokenResponse(minted.token(), minted.expiresAt()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
    }

    private record TokenRequest(String audience, Duration ttl) {}

    private TokenRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(
                    "the body must be a JSON object {\"audience\": ..., \"ttl_seconds\": ...}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("audience") && !name.equals("ttl_seconds")) {
                throw ProblemException.badRequest("'" + name + "' cannot be set: only audience and ttl_seconds may be "
                        + "given, every other claim is set by the issuer");
            }
        }
        JsonNode audience = body.get("audience");
        if (audience == null
                || !audience.isTextual()
                || !AUDIENCE.matcher(audience.asText()).matches()) {
            throw ProblemException.badRequest(
                    "audience must be a string of 1 to 256 printable characters without spaces");
        }
        Duration ttl = defaultTtl;
        JsonNode ttlNode = body.get("ttl_seconds");
        if (ttlNode != null && !ttlNode.isNull()) {
            if (!ttlNode.isIntegralNumber() || !ttlNode.canConvertToLong()) {
                throw ProblemException.badRequest("ttl_seconds must be an integer");
            }
            long seconds = ttlNode.asLong();
            if (seconds < limits.minTtl().toSeconds()
                    || seconds > limits.maxTtl().toSeconds()) {
                throw ProblemException.badRequest(
                        "ttl_seconds must be between " + limits.minTtl().toSeconds() + " and "
                                + limits.maxTtl().toSeconds());
            }
            ttl = Duration.ofSeconds(seconds);
        }
        return new TokenRequest(audience.asText(), ttl);
    }

    private void checkAudienceAllowed(UUID orgId, String audience) {
        List<String> allowed = limits.allowedAudiences().get(orgId.toString());
        if (allowed != null && !allowed.contains(audience)) {
            throw ProblemException.forbidden("this audience is not on the organization's allow-list");
        }
    }
}
