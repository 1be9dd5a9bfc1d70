package dev.keyless.executor.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The Keyless HTTP calls an executor makes, with the services' problem bodies turned into {@link ApiException}s. */
public final class KeylessApi {

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * {@code POST {scheduler}/api/v1/executor/claim}: the next job (of the project, when given), or empty when none
     * came within the wait.
     */
    public Optional<ClaimedJob> claim(String schedulerUrl, String executorToken, int waitSeconds, UUID projectId)
            throws IOException, InterruptedException, ApiException {
        String query = "?wait_seconds=" + waitSeconds + (projectId == null ? "" : "&project_id=" + projectId);
        HttpRequest request = HttpRequest.newBuilder(uri(schedulerUrl, "/api/v1/executor/claim" + query))
                .timeout(REQUEST_TIMEOUT.plusSeconds(waitSeconds))
                .header("Authorization", "Bearer " + executorToken)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 204) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(response.body(), ClaimedJob.class));
    }

    /** {@code GET {context}/api/v1/jobs/{jobId}/environment}; a 503 surfaces with its Retry-After. */
    public JobEnvironment environment(String contextUrl, UUID jobId, String credential)
            throws IOException, InterruptedException, ApiException {
        HttpRequest request = HttpRequest.newBuilder(uri(contextUrl, "/api/v1/jobs/" + jobId + "/environment"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + credential)
                .header("Accept", "application/json")
                .GET()
                .build();
        return JSON.readValue(send(request).body(), JobEnvironment.class);
    }

    /** Sends a heartbeat; returns the renewed credential the scheduler answers with, if any. */
    public Optional<String> heartbeat(String schedulerUrl, UUID jobId, String credential)
            throws IOException, InterruptedException, ApiException {
        HttpResponse<String> response =
                send(post(uri(schedulerUrl, "/api/v1/jobs/" + jobId + "/heartbeat"), credential, Map.of()));
        if (response.body() == null || response.body().isBlank()) {
            return Optional.empty();
        }
        String renewed = JSON.readTree(response.body()).path("credential").asText("");
        return renewed.isEmpty() ? Optional.empty() : Optional.of(renewed);
    }

    public void complete(String schedulerUrl, UUID jobId, String credential, int exitCode)
            throws IOException, InterruptedException, ApiException {
        send(post(uri(schedulerUrl, "/api/v1/jobs/" + jobId + "/complete"), credential, Map.of("exit_code", exitCode)));
    }

    /** {@code POST {issuer}/api/v1/jobs/{jobId}/oidc-tokens}; a null ttl leaves the issuer's default. */
    public MintedToken mintToken(String issuerUrl, UUID jobId, String credential, String audience, Integer ttlSeconds)
            throws IOException, InterruptedException, ApiException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("audience", audience);
        if (ttlSeconds != null) {
            body.put("ttl_seconds", ttlSeconds);
        }
        HttpResponse<String> response =
                send(post(uri(issuerUrl, "/api/v1/jobs/" + jobId + "/oidc-tokens"), credential, body));
        return JSON.readValue(response.body(), MintedToken.class);
    }

    /** A public JSON document (discovery, JWKS). */
    public String getPublic(URI uri) throws IOException, InterruptedException, ApiException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        return send(request).body();
    }

    private static HttpRequest post(URI uri, String credential, Map<String, ?> body) throws IOException {
        return HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException, ApiException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        Optional<Long> retryAfter = response.headers().firstValue("Retry-After").flatMap(KeylessApi::parseSeconds);
        throw new ApiException(
                status,
                request.method() + " " + request.uri().getPath() + " answered " + status
                        + problemSummary(response.body()),
                retryAfter);
    }

    /** ": title: detail" from an RFC 9457 body, or nothing when the body is not one. */
    private static String problemSummary(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem == null || !problem.isObject()) {
                return "";
            }
            String title = problem.path("title").asText("");
            String detail = problem.path("detail").asText("");
            String summary = title.isEmpty() ? detail : detail.isEmpty() ? title : title + ": " + detail;
            return summary.isEmpty() ? "" : ": " + summary;
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Long> parseSeconds(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static URI uri(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + path);
    }
}
