package dev.keyless.executor.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.executor.api.KeylessApi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Vault's JWT auth method: {@code POST /v1/auth/<mount>/login {"role", "jwt"}} answers a Vault token. */
public final class VaultClient {

    public static final Pattern MOUNT = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    /** The Vault token (a secret) and how long it lives. */
    public record Login(String clientToken, long leaseDurationSeconds, boolean renewable, List<String> policies) {
        @Override
        public String toString() {
            return "Login[leaseDurationSeconds=" + leaseDurationSeconds + ", policies=" + policies + "]";
        }
    }

    /** Vault refused the login; the message carries Vault's errors, never the token sent. */
    public static final class LoginException extends IOException {
        public LoginException(String message) {
            super(message);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param namespace Vault Enterprise's namespace, or null */
    public Login login(String address, String mount, String role, String jwt, String namespace)
            throws IOException, InterruptedException {
        String base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/auth/" + mount + "/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        KeylessApi.JSON.writeValueAsString(Map.of("role", role, "jwt", jwt))));
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = readJson(response.body());
        if (response.statusCode() != 200) {
            throw new LoginException("Vault answered " + response.statusCode() + " to the login at " + base
                    + "/v1/auth/" + mount + "/login" + errors(body));
        }
        JsonNode auth = body.path("auth");
        String token = auth.path("client_token").asText("");
        if (token.isEmpty()) {
            throw new LoginException("Vault's login answer has no auth.client_token");
        }
        List<String> policies = auth.path("policies").isArray()
                ? KeylessApi.JSON.convertValue(
                        auth.path("policies"),
                        KeylessApi.JSON.getTypeFactory().constructCollectionType(List.class, String.class))
                : List.of();
        return new Login(
                token,
                auth.path("lease_duration").asLong(0),
                auth.path("renewable").asBoolean(false),
                policies);
    }

    private static JsonNode readJson(String body) {
        try {
            JsonNode node = KeylessApi.JSON.readTree(body == null ? "" : body);
            return node == null ? KeylessApi.JSON.createObjectNode() : node;
        } catch (IOException e) {
            return KeylessApi.JSON.createObjectNode();
        }
    }

    private static String errors(JsonNode body) {
        JsonNode errors = body.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(":");
        errors.forEach(error -> out.append(' ').append(error.asText()));
        return out.toString();
    }
}
