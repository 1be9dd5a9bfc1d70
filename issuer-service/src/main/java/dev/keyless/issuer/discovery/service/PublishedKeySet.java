package dev.keyless.issuer.discovery.service;

import java.util.List;

/**
 * The JWKS as served: the exact bytes and a strong ETag over them.
 *
 * @param kids the published key ids, newest first
 */
public record PublishedKeySet(byte[] json, String etag, List<String> kids) {}
