package dev.keyless.issuer;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * CONTRACT STUB of context-service's internal endpoint {@code GET /internal/v1/jobs/{jobId}/contexts}
 * (docs/contracts.md), test-only: it lets the issuer's own behaviour (the headers it sends, how it maps each answer,
 * failing closed) be tested. context-service's real answer is tested in context-service, the two together by the
 * system tests. {@link TestJobs#newJob} scripts every job as allowed with its contexts; a test may script another
 * answer, or take the whole stub down.
 */
public class ContextServiceContractStub implements QuarkusTestResourceLifecycleManager {

    private static final Pattern PATH = Pattern.compile("/internal/v1/jobs/([0-9a-f-]{36})/contexts");

    private static final Pattern DECISIONS = Pattern.compile("/internal/v1/orgs/([0-9a-f-]{36})/context-decisions");

    private static final Map<UUID, Answer> ANSWERS = new ConcurrentHashMap<>();
    /** Scripted answers of {@code POST /internal/v1/orgs/{orgId}/context-decisions} (the claims preview), by org. */
    private static final Map<UUID, Answer> DECISION_ANSWERS = new ConcurrentHashMap<>();

    private static final Map<UUID, List<Call>> CALLS = new ConcurrentHashMap<>();
    private static volatile HttpServer server;
    private static volatile int port;

    /** What context-service answers for one job: 200 with {@code contextIds}, or a problem. */
    private record Answer(int status, List<UUID> contextIds, String detail) {}

    /** A request the stub received. */
    public record Call(String serviceToken, String authorization) {}

    public static void allow(UUID jobId, List<UUID> contextIds) {
        ANSWERS.put(jobId, new Answer(200, List.copyOf(contextIds), null));
    }

    public static void refuse(UUID jobId, int status, String detail) {
        ANSWERS.put(jobId, new Answer(status, List.of(), detail));
    }

    /** The org's would-be jobs may use their contexts, resolving to {@code contextIds}. */
    public static void allowPreviews(UUID orgId, List<UUID> contextIds) {
        DECISION_ANSWERS.put(orgId, new Answer(200, List.copyOf(contextIds), null));
    }

    /** The org's would-be jobs are denied {@code context} with {@code reason}. */
    public static void denyPreviews(UUID orgId, String context, String reason) {
        DECISION_ANSWERS.put(orgId, new Answer(403, List.of(), context + "\n" + reason));
    }

    public static List<Call> calls(UUID jobId) {
        return CALLS.getOrDefault(jobId, List.of());
    }

    /** Stops listening: every call is refused at the TCP level until {@link #up()}. */
    public static synchronized void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public static synchronized void up() {
        listen(port);
    }

    @Override
    public Map<String, String> start() {
        listen(0);
        port = server.getAddress().getPort();
        return Map.of("quarkus.rest-client.context.url", "http://127.0.0.1:" + port);
    }

    private static void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/v1/jobs/", ContextServiceContractStub::handle);
        server.createContext("/internal/v1/orgs/", ContextServiceContractStub::decide);
        server.start();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        Matcher matcher = PATH.matcher(exchange.getRequestURI().getPath());
        if (!matcher.matches() || !"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 404, problem(404, "no such resource"));
            return;
        }
        UUID jobId = UUID.fromString(matcher.group(1));
        String serviceToken = exchange.getRequestHeaders().getFirst("X-Keyless-Service-Token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        CALLS.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(new Call(serviceToken, authorization));
        if (!TestJobs.SERVICE_TOKEN.equals(serviceToken) || authorization == null) {
            respond(exchange, 401, problem(401, "a valid service token is required"));
            return;
        }
        Answer answer = ANSWERS.get(jobId);
        if (answer == null) {
            respond(exchange, 503, problem(503, "the job's contexts are still being resolved"));
            return;
        }
        if (answer.status() != 200) {
            respond(exchange, answer.status(), problem(answer.status(), answer.detail()));
            return;
        }
        respond(
                exchange,
                200,
                "{\"context_ids\":["
                        + answer.contextIds().stream()
                                .map(id -> "\"" + id + "\"")
                                .collect(Collectors.joining(",")) + "]}");
    }

    private static void decide(HttpExchange exchange) throws IOException {
        Matcher matcher = DECISIONS.matcher(exchange.getRequestURI().getPath());
        if (!matcher.matches() || !"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 404, problem(404, "no such resource"));
            return;
        }
        if (!TestJobs.SERVICE_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Keyless-Service-Token"))) {
            respond(exchange, 401, problem(401, "a valid service token is required"));
            return;
        }
        Answer answer = DECISION_ANSWERS.get(UUID.fromString(matcher.group(1)));
        if (answer == null) {
            respond(exchange, 503, problem(503, "not scripted"));
            return;
        }
        if (answer.status() != 200) {
            String[] denial = answer.detail().split("\n", 2);
            respond(
                    exchange,
                    200,
                    "{\"allowed\":false,\"context_ids\":[],\"denied_context\":\"" + denial[0]
                            + "\",\"denial_kind\":\"fork_pull_request\",\"reason\":\"" + denial[1] + "\"}");
            return;
        }
        respond(
                exchange,
                200,
                "{\"allowed\":true,\"context_ids\":["
                        + answer.contextIds().stream()
                                .map(id -> "\"" + id + "\"")
                                .collect(Collectors.joining(",")) + "],\"denied_context\":null,"
                        + "\"denial_kind\":null,\"reason\":null}");
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
        server.stop(0);
    }
}
