package dev.keyless.credential;

import java.time.Instant;
import java.util.UUID;

/**
 * A verified job credential: the job (and its org and project) that the caller acts for.
 *
 * @param expiresAt the credential's own {@code exp}: short, renewed through the job's heartbeats
 * @param jobEndsAt when the job's timeout ends (its {@code job_deadline} claim; {@code exp} when absent): what
 *                  on-demand tokens are capped by, since a renewed credential outlives its own {@code exp}
 */
public record JobCredential(
        UUID jobId, UUID orgId, UUID projectId, String tokenId, Instant expiresAt, Instant jobEndsAt) {}
