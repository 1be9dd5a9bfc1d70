package dev.keyless.credential;

import java.time.Instant;
import java.util.UUID;

/** A verified job credential: the job (and its org and project) that the caller acts for. */
public record JobCredential(UUID jobId, UUID orgId, UUID projectId, String tokenId, Instant expiresAt) {
}
