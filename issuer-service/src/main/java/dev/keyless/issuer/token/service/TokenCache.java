package dev.keyless.issuer.token.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's cache of job tokens. The database stays the source of truth (claims, finished jobs), so any
 * replica serves any job: a miss mints again from the stored claims.
 */
@ApplicationScoped
public class TokenCache {

    private final Map<UUID, JobTokens> tokens = new ConcurrentHashMap<>();

    Optional<JobTokens> get(UUID jobId) {
        return Optional.ofNullable(tokens.get(jobId));
    }

    void put(UUID jobId, JobTokens jobTokens) {
        tokens.put(jobId, jobTokens);
    }

    void remove(UUID jobId) {
        tokens.remove(jobId);
    }

    /** Expired entries go even when this replica never saw the job's JobFinished. */
    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        Instant now = Instant.now();
        tokens.values().removeIf(t -> !t.expiresAt().isAfter(now));
    }
}
