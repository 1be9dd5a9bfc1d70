package dev.keyless.issuer.token.rest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** The job's environment tokens for context-service. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnvironmentTokensResponse(String v1, String v2, Instant expiresAt) {
}
