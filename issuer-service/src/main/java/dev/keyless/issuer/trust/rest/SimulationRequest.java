package dev.keyless.issuer.trust.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

/**
 * A relying party's policy and the claims to try it on: a claim set, or a would-be job of a project (the claims come
 * from its preview; {@code token} picks {@code v1}, {@code v2} (default) or {@code on_demand}).
 *
 * @param type {@code aws}, {@code gcp} or {@code vault}
 */
public record SimulationRequest(
        @JsonProperty("type") String type,
        @JsonProperty("policy") JsonNode policy,
        @JsonProperty("claims") Map<String, Object> claims,
        @JsonProperty("project_id") UUID projectId,
        @JsonProperty("preview") PreviewRequest preview,
        @JsonProperty("token") String token) {}
