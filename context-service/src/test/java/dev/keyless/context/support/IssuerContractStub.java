package dev.keyless.context.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CONTRACT STUB of issuer-service's internal endpoint {@code GET /internal/v1/jobs/{jobId}/oidc-tokens}
 * (docs/contracts.md), test-only: it lets context-service's own behaviour (waiting, 503, error propagation, the
 * headers it sends) be tested. The real issuer is exercised by the system tests. Each test scripts the jobs it
 * owns; a job nobody scripted gets 503 (not minted yet).
 */
public class IssuerContractStub implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_TOKEN = "test-internal-token";
    private static final Pattern PATH = Pattern.compile("/internal/v1/jobs/([0-9a-f-]{36})/oidc-tokens");

    private static final Map<UUID, Script> SCRIPTS = new ConcurrentHashMap<>();
    private static final Map<UUID, List<Call>> CALLS = new ConcurrentHashMap<>();

    private HttpServer server;

    /** What the issuer answers for one job: {@code notReadyTimes} 503s first, then {@code status} (200 = tokens). */
    public record Script(int status, String v1, String v2, AtomicInteger notReadyLeft) {}

    /** A request the stub received. */
    public record Call(String serviceToken, String authorization) {}

    public static void tokens(UUID jobId, String v1, String v2) {
        tokensAfterNotReady(jobId, v1, v2, 0);
    }

    public static void tokensAfterNotReady(UUID jobId, String v1, String v2, int notReadyTimes) {
        SCRIPTS.put(jobId, new Script(200, v1, v2, new AtomicInteger(notReadyTimes)));
    }

    public static void status(UUID jobId, int status) {
        SCRIPTS.put(jobId, new Script(status, null, null, new AtomicInteger()));
    }

    public static List<Call> calls(UUID jobId) {
        return CALLS.getOrDefault(jobId, List.of());
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/v1/jobs/", this::handle);
        server.start();
        return Map.of(
                "quarkus.rest-client.issuer.url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        Matcher matcher = PATH.matcher(exchange.getRequestURI().getPath());
        if (!matcher.matches() || !"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 404, problem(404, "no such resource"));
            return;
        }
        UUID jobId = UUID.fromString(matcher.group(1));
        String serviceToken = exchange.getRequestHeaders().getFirst("X-Keyless-Service-Token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        CALLS.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(new Call(serviceToken, authorization));
        if (!SERVICE_TOKEN.equals(serviceToken) || authorization == null) {
            respond(exchange, 401, problem(401, "service and job credentials are required"));
            return;
        }
        Script script = SCRIPTS.get(jobId);
        if (script == null || script.notReadyLeft().getAndDecrement() > 0) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            respond(exchange, 503, problem(503, "tokens are not minted yet"));
            return;
        }
        if (script.status() != 200) {
            respond(exchange, script.status(), problem(script.status(), "scripted failure"));
            return;
        }
        respond(
                exchange,
                200,
                "{\"v1\":\"" + script.v1() + "\",\"v2\":\"" + script.v2()
                        + "\",\"expires_at\":\"2030-01-01T00:00:00Z\"}");
    }

    private static String problem(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"stub\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
