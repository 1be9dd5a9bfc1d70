package dev.keyless.executor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyless.executor.api.KeylessApi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * issuer-service's on-demand token endpoint and JWKS, in process, for the executor module's tests (the system tests
 * use the real issuer): tokens are real RS256 JWTs with the claims Keyless mints, signed by a key published in
 * {@link #jwksUri()}, and only the job's credential may ask for them.
 */
public final class LocalIssuer implements AutoCloseable {

    public static final String NAMESPACE = "oidc.keyless.dev";

    private final RSAKey key;
    private final HttpServer server;
    private final UUID orgId = UUID.randomUUID();
    private final UUID projectId = UUID.randomUUID();
    private final String credential;
    private final List<String> minted = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus;

    public LocalIssuer(String credential) throws Exception {
        this.credential = credential;
        this.key = new RSAKeyGenerator(2048).keyID("local-" + UUID.randomUUID()).generate();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/jobs/", this::mint);
        server.createContext(
                "/org/" + orgId + "/.well-known/jwks-pub.json",
                exchange -> respond(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String issuer() {
        return baseUrl() + "/org/" + orgId;
    }

    public String jwksUri() {
        return issuer() + "/.well-known/jwks-pub.json";
    }

    public UUID orgId() {
        return orgId;
    }

    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** Every token minted, oldest first. */
    public List<String> minted() {
        return List.copyOf(minted);
    }

    /** The next {@code count} mint requests answer {@code status}. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failures.set(count);
    }

    private void mint(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + credential).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(exchange, failureStatus, "{\"title\":\"failing on purpose\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            UUID jobId = UUID.fromString(path.split("/")[4]);
            JsonNode request =
                    KeylessApi.JSON.readTree(exchange.getRequestBody().readAllBytes());
            long now = System.currentTimeMillis() / 1000;
            long exp = now + request.path("ttl_seconds").asLong(3600);
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(issuer())
                    .subject("org/" + orgId + "/project/" + projectId + "/user/" + UUID.randomUUID()
                            + "/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main")
                    .audience(request.path("audience").asText())
                    .issueTime(new Date(now * 1000))
                    .notBeforeTime(new Date(now * 1000))
                    .expirationTime(new Date(exp * 1000))
                    .jwtID(UUID.randomUUID().toString())
                    .claim(NAMESPACE + "/project-id", projectId.toString())
                    .claim(NAMESPACE + "/job-id", jobId.toString())
                    .build();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            String token = jwt.serialize();
            minted.add(token);
            respond(
                    exchange,
                    200,
                    KeylessApi.JSON.writeValueAsString(Map.of(
                            "token",
                            token,
                            "expires_at",
                            Instant.ofEpochSecond(exp).toString())));
        } catch (JOSEException e) {
            throw new IOException(e);
        }
    }

    public static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
