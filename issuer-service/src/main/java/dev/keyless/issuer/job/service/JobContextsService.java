package dev.keyless.issuer.job.service;

import dev.keyless.issuer.config.InternalApiConfig;
import dev.keyless.issuer.job.client.JobContextsClient;
import dev.keyless.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Asks context-service, before each on-demand token, which contexts the job may use now. Asked per mint rather than
 * told by an event: the answer is as fresh as the environment pull's (no broker lag, no missed event), and the
 * per-job rate limit bounds the calls. Fails closed: no answer means no token.
 */
@ApplicationScoped
public class JobContextsService {

    private static final Logger LOG = Logger.getLogger(JobContextsService.class);

    /** {@code Retry-After} when context-service cannot answer. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final JobContextsClient client;
    private final InternalApiConfig internalApi;

    public JobContextsService(@RestClient JobContextsClient client, InternalApiConfig internalApi) {
        this.client = client;
        this.internalApi = internalApi;
    }

    /**
     * The ids of the contexts the job may use now, in its order. Fails with 401 or 403 (and context-service's
     * reason) when it refuses the job, 503 when it cannot answer.
     */
    public Uni<List<UUID>> allowedContexts(UUID jobId, String authorization) {
        return client.allowedContexts(jobId, internalApi.token(), authorization)
                .map(answer -> answer.contextIds() == null ? List.<UUID>of() : answer.contextIds())
                .onFailure()
                .transform(failure -> refusal(jobId, failure));
    }

    private static ProblemException refusal(UUID jobId, Throwable failure) {
        if (failure instanceof JobContextsClient.Refused refused) {
            switch (refused.status()) {
                case 401 -> {
                    return ProblemException.unauthorized(
                            detail(refused, "the context service no longer accepts this job credential"));
                }
                case 403 -> {
                    return ProblemException.forbidden(detail(refused, "the job may no longer use its contexts"));
                }
                default ->
                    LOG.warnf(
                            "context-service answered %d for job %s's contexts; no on-demand token minted",
                            refused.status(), jobId);
            }
        } else {
            LOG.warnf(
                    "cannot reach context-service for job %s's contexts (%s); no on-demand token minted",
                    jobId, failure.getClass().getSimpleName());
        }
        return ProblemException.unavailable(
                "the job's contexts cannot be confirmed right now, so no token was " + "minted; retry later",
                RETRY_AFTER_SECONDS);
    }

    private static String detail(JobContextsClient.Refused refused, String fallback) {
        return refused.detail() == null || refused.detail().isBlank() ? fallback : refused.detail();
    }
}
