package dev.keyless.issuer.token.service;

import java.time.Instant;

/** The V1 and V2 tokens of a job, minted together with the same key and lifetime. */
public record JobTokens(String v1, String v2, String kid, Instant issuedAt, Instant expiresAt) {}
