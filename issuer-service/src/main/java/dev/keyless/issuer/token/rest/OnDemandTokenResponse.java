package dev.keyless.issuer.token.rest;

import java.time.Instant;

public record OnDemandTokenResponse(String token, Instant expiresAt) {}
