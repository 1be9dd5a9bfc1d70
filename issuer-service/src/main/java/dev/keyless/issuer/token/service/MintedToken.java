package dev.keyless.issuer.token.service;

import dev.keyless.issuer.audit.model.TokenAuditEntry;

import java.time.Instant;

/** A freshly minted token and its audit record (which never holds the token). */
public record MintedToken(String token, String kid, Instant expiresAt, TokenAuditEntry audit) {}
