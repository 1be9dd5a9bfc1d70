package dev.keyless.issuer.token.rest;

import java.time.Instant;

/** The job's environment tokens for context-service. */
public record EnvironmentTokensResponse(String v1, String v2, Instant expiresAt) {}
