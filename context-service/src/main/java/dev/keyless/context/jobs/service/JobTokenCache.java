package dev.keyless.context.jobs.service;

import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.jobs.client.IssuerTokenClient.OidcTokens;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's copy of the issuer's answer per job, so repeated pulls of a job skip the issuer call. Served only
 * after the pull's own checks (credential, revocation, the job's end, the contexts' restrictions), which are the
 * same the issuer makes from the same events. An entry lives {@code token-cache-ttl}, and never past half of the
 * tokens' remaining lifetime, so the issuer's re-mint (a new key after a revocation, fresh expiry) is picked up.
 */
@ApplicationScoped
public class JobTokenCache {

    private record Entry(OidcTokens tokens, Instant until) {}

    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
    private final Duration ttl;

    public JobTokenCache(ContextConfig config) {
        this.ttl = config.environment().tokenCacheTtl();
    }

    Optional<OidcTokens> get(UUID jobId) {
        Entry entry = entries.get(jobId);
        if (entry == null) {
            return Optional.empty();
        }
        if (!Instant.now().isBefore(entry.until())) {
            entries.remove(jobId, entry);
            return Optional.empty();
        }
        return Optional.of(entry.tokens());
    }

    void put(UUID jobId, OidcTokens tokens) {
        if (ttl.isZero() || tokens == null || tokens.expiresAt() == null) {
            return;
        }
        Instant now = Instant.now();
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(tokens.expiresAt());
        } catch (DateTimeParseException e) {
            return;
        }
        Instant halfLife = now.plus(Duration.between(now, expiresAt).dividedBy(2));
        Instant until = now.plus(ttl).isBefore(halfLife) ? now.plus(ttl) : halfLife;
        if (until.isAfter(now)) {
            entries.put(jobId, new Entry(tokens, until));
        }
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        Instant now = Instant.now();
        entries.values().removeIf(entry -> !now.isBefore(entry.until()));
    }
}
