package dev.keyless.issuer.token.service;

import dev.keyless.credential.JobCredential;
import dev.keyless.credential.revocation.RevokedJobCredentialRepository;
import dev.keyless.issuer.IssuerUrls;
import dev.keyless.issuer.audit.model.TokenAuditEntry;
import dev.keyless.issuer.audit.service.TokenAuditService;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.service.KeyManager;
import dev.keyless.issuer.key.service.KeyRingUnavailableException;
import dev.keyless.issuer.token.mint.JobClaimData;
import dev.keyless.issuer.token.mint.TokenClaims;
import dev.keyless.issuer.token.mint.TokenKind;
import dev.keyless.issuer.token.mint.TokenMinter;
import dev.keyless.issuer.trust.service.SubjectTemplates;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Mints job tokens: the V1/V2 pair for the job environment (cached, re-minted when worn) and on-demand tokens
 * for a caller-chosen audience. Every token is verified against the published key set before it leaves, and
 * every token is audited (never the token itself).
 */
@ApplicationScoped
public class TokenService {

    /** Relying parties' limit (AWS STS): tokens stay well under it. */
    static final int MAX_TOKEN_CHARS = 20_000;

    private final IssuerConfig config;
    private final KeyManager keys;
    private final IssuerUrls urls;
    private final TokenCache cache;
    private final IssuerMetrics metrics;
    private final TokenClaims claims;
    private final SubjectTemplates subjects;
    private final TokenAuditService audits;
    private final RevokedJobCredentialRepository revokedCredentials;
    private final TokenMinter minter = new TokenMinter();

    public TokenService(
            IssuerConfig config,
            KeyManager keys,
            IssuerUrls urls,
            TokenCache cache,
            IssuerMetrics metrics,
            SubjectTemplates subjects,
            TokenAuditService audits,
            RevokedJobCredentialRepository revokedCredentials) {
        this.config = config;
        this.keys = keys;
        this.urls = urls;
        this.cache = cache;
        this.metrics = metrics;
        this.claims = new TokenClaims(config.claimNamespace());
        this.subjects = subjects;
        this.audits = audits;
        this.revokedCredentials = revokedCredentials;
    }

    /** Whether the job gets tokens at all: resolved and, by default, using at least one context. */
    public boolean eligible(JobClaimsEntity job) {
        return job.resolvedAt != null
                && (!config.requireContext() || !job.contextIdList().isEmpty());
    }

    /**
     * The job a credential may get tokens for: a credential not revoked, a job resolved, still running, of the
     * credential's org, eligible.
     * Answers 503 + Retry-After while the resolution has not reached the issuer.
     */
    @WithSession
    public Uni<JobClaimsEntity> runningJob(UUID jobId, JobCredential credential) {
        return revokedCredentials
                .isRevoked(credential.tokenId())
                .chain(revoked -> {
                    if (revoked) {
                        throw ProblemException.unauthorized(
                                "this job credential was revoked: the job was handed to another executor");
                    }
                    return JobClaimsEntity.<JobClaimsEntity>findById(jobId);
                })
                .map(job -> {
                    if (job != null && job.finishedAt != null) {
                        throw ProblemException.unauthorized("the job has finished; its credential no longer works");
                    }
                    if (job == null || job.resolvedAt == null) {
                        throw ProblemException.unavailable("the job's contexts are not resolved yet", 1);
                    }
                    if (!job.orgId.equals(credential.orgId())) {
                        throw ProblemException.forbidden("the job credential belongs to another org");
                    }
                    if (!eligible(job)) {
                        throw ProblemException.notFound("the job uses no context, so it gets no OIDC token");
                    }
                    return job;
                });
    }

    /** The job's environment tokens: from the cache while fresh, else minted from the stored claims. */
    public Uni<JobTokens> environmentTokens(JobClaimsEntity job) {
        JobTokens cached = cache.get(job.jobId).filter(this::fresh).orElse(null);
        if (cached != null) {
            metrics.cacheHit();
            return Uni.createFrom().item(cached);
        }
        metrics.cacheMiss();
        return mintPair(job.claimData());
    }

    /**
     * Mints a resolved job's tokens into the cache ahead of its environment pull, from the row the resolution
     * just committed (no second read): a job that finished first, or uses no context, gets none.
     */
    public Uni<Void> warm(JobClaimsEntity job) {
        if (job.finishedAt != null
                || !eligible(job)
                || cache.get(job.jobId).filter(this::fresh).isPresent()) {
            return Uni.createFrom().voidItem();
        }
        // no session is open here: no connection is held while keys sign off the event loop
        return mintPair(job.claimData()).replaceWithVoid();
    }

    public void forget(UUID jobId) {
        cache.remove(jobId);
    }

    /**
     * Fails with 429 when the job has used up its on-demand tokens for now. A cheap look taken before asking
     * context-service, so a job past its limit causes no call there; {@link #onDemand} decides for real.
     */
    @WithSession
    public Uni<Void> checkRateLimit(UUID jobId) {
        return rateLimited(jobId, Instant.now());
    }

    /**
     * A token for {@code audience} living {@code ttl}, capped by the job's remaining time, naming
     * {@code contextIds} (the contexts the job may use now), within the job's rate limit.
     * <p>
     * Counting the job's recent tokens and recording the new one is one step per job: the job's row is locked
     * ({@code SELECT ... FOR UPDATE}) in the transaction that counts, signs and writes the audit row, so parallel
     * requests of one job queue behind each other and never all see the same count.
     */
    @WithTransaction
    public Uni<MintedToken> onDemand(
            JobClaimsEntity job, JobCredential credential, List<UUID> contextIds, String audience, Duration ttl) {
        Instant now = Instant.now();
        Duration remaining = Duration.between(now, credential.jobEndsAt());
        Duration lifetime = ttl.compareTo(remaining) > 0 ? remaining : ttl;
        if (lifetime.getSeconds() < 1) {
            throw ProblemException.unauthorized("the job's time is up");
        }
        if (config.requireContext() && contextIds.isEmpty()) {
            throw ProblemException.notFound("the job uses no context, so it gets no OIDC token");
        }
        JobClaimData stored = job.claimData();
        JobClaimData data = new JobClaimData(
                stored.jobId(),
                stored.orgId(),
                stored.projectId(),
                stored.pipelineId(),
                stored.workflowId(),
                stored.userId(),
                stored.vcsOrigin(),
                stored.vcsRef(),
                stored.sshRerun(),
                contextIds);
        return JobClaimsEntity.<JobClaimsEntity>findById(job.jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(locked -> {
                    if (locked == null || locked.finishedAt != null) {
                        throw ProblemException.unauthorized("the job has finished; its credential no longer works");
                    }
                    return rateLimited(job.jobId, Instant.now());
                })
                .chain(() -> VertxContextSupport.executeBlocking(() -> {
                    Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    return mint(
                            keys.activeKey(), TokenKind.ON_DEMAND, data, audience, issuedAt, issuedAt.plus(lifetime));
                }))
                .call(minted -> minted.audit().persist());
    }

    /** Fails with 429 and the seconds until the oldest token in the window leaves it, once the limit is reached. */
    private Uni<Void> rateLimited(UUID jobId, Instant now) {
        IssuerConfig.OnDemand limits = config.onDemand();
        Instant windowStart = now.minus(limits.rateWindow());
        return TokenAuditEntry.<TokenAuditEntry>find(
                        "jobId = ?1 and kind = ?2 and iat > ?3 order by iat",
                        jobId,
                        kindName(TokenKind.ON_DEMAND),
                        windowStart)
                .page(0, limits.rateLimit())
                .list()
                .chain(recent -> {
                    if (recent.size() < limits.rateLimit()) {
                        return Uni.createFrom().voidItem();
                    }
                    long wait = Math.max(
                            1,
                            Duration.between(now, recent.get(0).iat.plus(limits.rateWindow()))
                                            .toSeconds()
                                    + 1);
                    return Uni.createFrom()
                            .failure(ProblemException.tooManyRequests(
                                    "this job asked for too many tokens; retry later", wait));
                });
    }

    private boolean fresh(JobTokens tokens) {
        if (keys.publishedKey(tokens.kid()).isEmpty()) {
            return false; // its key was revoked: re-mint with the active one
        }
        long lifetime = Duration.between(tokens.issuedAt(), tokens.expiresAt()).toMillis();
        long left = Duration.between(Instant.now(), tokens.expiresAt()).toMillis();
        return left > lifetime * config.cache().remintBelowShare();
    }

    private Uni<JobTokens> mintPair(JobClaimData job) {
        String audience = job.orgId().toString();
        // signing costs milliseconds of CPU (RSA): off the event loop
        return VertxContextSupport.executeBlocking(() -> {
                    SigningKey key = keys.activeKey();
                    // one issue time for both, so expires_at is exact for each
                    Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    Instant expiresAt = issuedAt.plus(config.tokenLifetime());
                    MintedToken v1 = mint(key, TokenKind.V1, job, audience, issuedAt, expiresAt);
                    MintedToken v2 = mint(key, TokenKind.V2, job, audience, issuedAt, expiresAt);
                    return List.of(v1, v2);
                })
                .call(pair ->
                        audits.record(pair.stream().map(MintedToken::audit).toList()))
                .map(pair -> {
                    MintedToken v1 = pair.get(0);
                    MintedToken v2 = pair.get(1);
                    JobTokens tokens = new JobTokens(v1.token(), v2.token(), v1.kid(), v1.audit().iat, v1.expiresAt());
                    cache.put(job.jobId(), tokens);
                    return tokens;
                });
    }

    private MintedToken mint(
            SigningKey key, TokenKind kind, JobClaimData job, String audience, Instant issuedAt, Instant expiresAt) {
        long started = System.nanoTime();
        UUID jti = UUID.randomUUID();
        String issuer = urls.issuer(job.orgId());
        String subject = subjects.subject(kind, job, issuedAt);
        String token = minter.mint(key, claims.build(job, subject, issuer, audience, issuedAt, expiresAt, jti));
        verifyAgainstPublishedKeys(token, key);
        metrics.minted(key.algorithm(), kind, System.nanoTime() - started);

        TokenAuditEntry audit = new TokenAuditEntry();
        audit.jti = jti;
        audit.orgId = job.orgId();
        audit.projectId = job.projectId();
        audit.jobId = job.jobId();
        audit.kind = kindName(kind);
        audit.sub = subject;
        audit.aud = audience;
        audit.kid = key.kid();
        audit.algorithm = key.algorithm().name();
        audit.iat = issuedAt;
        audit.exp = expiresAt;
        return new MintedToken(token, key.kid(), expiresAt, audit);
    }

    /**
     * Checks the signature with the key as the JWKS publishes it (as SPIRE does): a key that is not published,
     * or a private key that does not match its published half, never ships a token.
     */
    private void verifyAgainstPublishedKeys(String token, SigningKey key) {
        if (token.length() >= MAX_TOKEN_CHARS) {
            throw new IllegalStateException("minted token exceeds " + MAX_TOKEN_CHARS + " characters");
        }
        PublicKey published = keys.publishedKey(key.kid()).orElseThrow(KeyRingUnavailableException::new);
        int lastDot = token.lastIndexOf('.');
        try {
            Signature verifier = Signature.getInstance(key.algorithm().jcaName());
            verifier.initVerify(published);
            verifier.update(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(token.substring(lastDot + 1)))) {
                throw new IllegalStateException(
                        "a minted token does not verify against the published key " + key.kid());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify a minted token against the published key", e);
        }
    }

    static String kindName(TokenKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
