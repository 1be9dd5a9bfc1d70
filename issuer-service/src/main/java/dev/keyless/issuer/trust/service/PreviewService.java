package dev.keyless.issuer.trust.service;

import dev.keyless.issuer.IssuerUrls;
import dev.keyless.issuer.config.InternalApiConfig;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.token.mint.JobClaimData;
import dev.keyless.issuer.token.mint.TokenClaims;
import dev.keyless.issuer.token.mint.TokenKind;
import dev.keyless.issuer.trust.client.ContextDecisionClient;
import dev.keyless.issuer.trust.rest.PreviewRequest;
import dev.keyless.issuer.trust.rest.PreviewView;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The claims preview: a would-be job's V1, V2 and on-demand claim sets, built by {@link TokenClaims} and
 * {@link SubjectTemplates} exactly as minting builds them, and whether it would get tokens, decided by context-service
 * with the code a real job goes through. Nothing is signed or stored. The project's org and VCS origin are those of
 * its latest job known here.
 */
@ApplicationScoped
public class PreviewService {

    private static final Logger LOG = Logger.getLogger(PreviewService.class);
    static final int ROLLOUT_JOBS = 10;
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    private final IssuerConfig config;
    private final IssuerUrls urls;
    private final TokenClaims claims;
    private final SubjectTemplates templates;
    private final ProjectJobs jobs;
    private final ContextDecisionClient contexts;
    private final InternalApiConfig internalApi;

    public PreviewService(
            IssuerConfig config,
            IssuerUrls urls,
            SubjectTemplates templates,
            ProjectJobs jobs,
            @RestClient ContextDecisionClient contexts,
            InternalApiConfig internalApi) {
        this.config = config;
        this.urls = urls;
        this.claims = new TokenClaims(config.claimNamespace());
        this.templates = templates;
        this.jobs = jobs;
        this.contexts = contexts;
        this.internalApi = internalApi;
    }

    /**
     * @param authorize checks the caller against the project's org before anything is evaluated
     */
    public Uni<PreviewView> preview(UUID projectId, PreviewRequest request, Consumer<UUID> authorize) {
        String ref = ref(request);
        if (request.userId() == null) {
            throw ProblemException.badRequest("user_id is required");
        }
        List<String> contextNames = request.contexts() == null ? List.of() : request.contexts();
        boolean fork = Boolean.TRUE.equals(request.forkPullRequest());
        String trigger =
                fork ? "fork_pull_request" : request.triggerSource() == null ? "push" : request.triggerSource();
        boolean ssh = Boolean.TRUE.equals(request.sshRerun());
        // the session closes before context-service is asked: no connection waits on that call
        return Panache.withSession(() -> jobs.latest(projectId).chain(latest -> {
                    authorize.accept(latest.orgId);
                    return jobs.recent(projectId, ROLLOUT_JOBS).map(recent -> Map.entry(latest, recent));
                }))
                .chain(known -> {
                    JobClaimsEntity latest = known.getKey();
                    Uni<ContextDecisionClient.ContextDecision> decision = contextNames.isEmpty()
                            ? Uni.createFrom()
                                    .item(new ContextDecisionClient.ContextDecision(true, List.of(), null, null))
                            : contexts.decide(
                                            latest.orgId,
                                            internalApi.token(),
                                            new ContextDecisionClient.WouldBeJob(
                                                    projectId,
                                                    contextNames,
                                                    latest.vcsOrigin,
                                                    ref,
                                                    trigger,
                                                    ssh,
                                                    request.jobName(),
                                                    request.userGroups() == null ? List.of() : request.userGroups()))
                                    .onFailure()
                                    .transform(failure -> {
                                        LOG.warnf(
                                                "context-service could not decide a preview of project %s (%s)",
                                                projectId, failure.getClass().getSimpleName());
                                        return ProblemException.unavailable(
                                                "the contexts cannot be evaluated right now; " + "retry later", 2);
                                    });
                    return decision.map(answer -> view(projectId, latest, request, ref, ssh, answer, known.getValue()));
                });
    }

    private PreviewView view(
            UUID projectId,
            JobClaimsEntity latest,
            PreviewRequest request,
            String ref,
            boolean ssh,
            ContextDecisionClient.ContextDecision decision,
            List<JobClaimsEntity> recent) {
        List<UUID> contextIds = decision.allowed() && decision.contextIds() != null ? decision.contextIds() : List.of();
        // ids only a real job has: made up for the preview
        JobClaimData job = new JobClaimData(
                UUID.randomUUID(),
                latest.orgId,
                projectId,
                UUID.randomUUID(),
                UUID.randomUUID(),
                request.userId(),
                latest.vcsOrigin,
                ref,
                ssh,
                contextIds);
        String reason = null;
        if (!decision.allowed()) {
            reason = decision.reason();
        } else if (config.requireContext() && contextIds.isEmpty()) {
            reason = "the job uses no context, so it gets no OIDC token";
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String issuer = urls.issuer(latest.orgId);
        String audience = request.audience() == null || request.audience().isBlank()
                ? latest.orgId.toString()
                : request.audience();
        Map<String, Object> v1 =
                claims(TokenKind.V1, job, issuer, latest.orgId.toString(), now, now.plus(config.tokenLifetime()));
        Map<String, Object> v2 =
                claims(TokenKind.V2, job, issuer, latest.orgId.toString(), now, now.plus(config.tokenLifetime()));
        Map<String, Object> onDemand = claims(
                TokenKind.ON_DEMAND,
                job,
                issuer,
                audience,
                now,
                now.plus(config.onDemand().maxTtl()));
        Integer version = templates
                .effective(latest.orgId, projectId, now)
                .map(t -> t.version())
                .orElse(null);
        List<PreviewView.Rollout> rollouts = templates.pending(latest.orgId, projectId, now).stream()
                .map(pending -> new PreviewView.Rollout(
                        pending.version(),
                        pending.projectId() == null ? "org" : "project",
                        pending.keys(),
                        pending.activateAt(),
                        sideBySide(job, now, pending.activateAt()),
                        recent.stream()
                                .map(JobClaimsEntity::claimData)
                                .map(r -> sideBySide(r, now, pending.activateAt()))
                                .toList()))
                .toList();
        return new PreviewView(projectId, latest.orgId, reason == null, reason, v1, v2, onDemand, version, rollouts);
    }

    private PreviewView.SideBySide sideBySide(JobClaimData job, Instant now, Instant activateAt) {
        return new PreviewView.SideBySide(
                job.jobId(),
                job.vcsRef(),
                templates.subject(TokenKind.V2, job, now),
                templates.subject(TokenKind.V2, job, activateAt));
    }

    private Map<String, Object> claims(
            TokenKind kind, JobClaimData job, String issuer, String audience, Instant issuedAt, Instant expiresAt) {
        return claims.build(
                job, templates.subject(kind, job, issuedAt), issuer, audience, issuedAt, expiresAt, UUID.randomUUID());
    }

    /** The full ref, as the scheduler stores it: one of ref (a bare name is a branch), branch, tag. */
    static String ref(PreviewRequest request) {
        int given =
                (request.ref() == null ? 0 : 1) + (request.branch() == null ? 0 : 1) + (request.tag() == null ? 0 : 1);
        if (given != 1) {
            throw ProblemException.badRequest("give exactly one of ref, branch, tag");
        }
        String value =
                request.ref() != null ? request.ref() : request.branch() != null ? request.branch() : request.tag();
        if (value.isBlank() || value.length() > 400) {
            throw ProblemException.badRequest("the ref must be 1 to 400 characters");
        }
        if (request.tag() != null) {
            return TAGS + value;
        }
        if (request.branch() != null || !(value.startsWith(HEADS) || value.startsWith(TAGS))) {
            return HEADS + value;
        }
        return value;
    }
}
