package dev.keyless.context.jobs.service;

import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.config.InternalApiConfig;
import dev.keyless.context.jobs.client.IssuerTokenClient;
import dev.keyless.context.jobs.client.IssuerTokenClient.OidcTokens;
import dev.keyless.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Optional;
import java.util.UUID;

/**
 * A job's OIDC tokens for its environment: from this replica's cache, else from the issuer, whose refusals become
 * this API's problems (503 waits, as the tokens are still being minted).
 */
@ApplicationScoped
public class JobTokens {

    private final IssuerTokenClient issuer;
    private final JobTokenCache cache;
    private final PullWait wait;
    private final InternalApiConfig internalApi;
    private final boolean requireContext;

    public JobTokens(
            @RestClient IssuerTokenClient issuer,
            JobTokenCache cache,
            PullWait wait,
            InternalApiConfig internalApi,
            ContextConfig config) {
        this.issuer = issuer;
        this.cache = cache;
        this.wait = wait;
        this.internalApi = internalApi;
        this.requireContext = config.environment().tokensRequireContext();
    }

    /**
     * The tokens of a pull whose checks (credential, revocation, the job's end, restrictions) already passed;
     * null when the job gets none.
     *
     * @param usesContext the job uses at least one context
     */
    public Uni<OidcTokens> forPull(UUID jobId, String authorization, boolean usesContext, PullWait.Bound bound) {
        if (!usesContext && requireContext) {
            return Uni.createFrom().nullItem();
        }
        Optional<OidcTokens> cached = cache.get(jobId);
        if (cached.isPresent()) {
            return Uni.createFrom().item(cached.get());
        }
        return fetch(jobId, authorization, usesContext, bound).invoke(tokens -> cache.put(jobId, tokens));
    }

    private Uni<OidcTokens> fetch(UUID jobId, String authorization, boolean usesContext, PullWait.Bound bound) {
        return issuer.tokens(jobId, internalApi.token(), authorization)
                .onFailure()
                .recoverWithUni(failure -> {
                    int status = failure instanceof WebApplicationException web && web.getResponse() != null
                            ? web.getResponse().getStatus()
                            : 503;
                    if (status == 503) {
                        return wait.later(
                                bound,
                                null,
                                () -> fetch(jobId, authorization, usesContext, bound),
                                "the job's OIDC tokens are still being minted");
                    }
                    return refusal(status, usesContext);
                });
    }

    /** What the issuer's final answer {@code status} means for the pull: no tokens, or a problem. */
    static Uni<OidcTokens> refusal(int status, boolean usesContext) {
        return switch (status) {
            case 401 ->
                Uni.createFrom()
                        .failure(ProblemException.unauthorized(
                                "the token service refused the job credential; the job may have ended"));
            case 403 ->
                Uni.createFrom()
                        .failure(ProblemException.forbidden(
                                "the token service refused the job credential for this job"));
            case 404 ->
                usesContext
                        ? Uni.createFrom()
                                .failure(new ProblemException(502, "the token service has no tokens for this job"))
                        : Uni.createFrom().nullItem();
            default ->
                Uni.createFrom()
                        .failure(new ProblemException(502, "the token service failed to provide the job's tokens"));
        };
    }
}
