package dev.keyless.operator.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

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

/**
 * The two scheduler calls the operator makes. Blocking on purpose: they run on the pools' claim threads and on the
 * reconciler's threads (the Java Operator SDK's model), never on an event loop.
 */
@ApplicationScoped
public class SchedulerClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public SchedulerClient(ObjectMapper json) {
        this.json = json;
    }

    /** {@code POST /api/v1/executor/claim}: the next job (of the project, when given), or empty after the wait. */
    public Optional<ClaimedJob> claim(String schedulerUrl, String executorToken, int waitSeconds, String projectId)
            throws IOException, InterruptedException, SchedulerException {
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
        return Optional.of(json.readValue(response.body(), ClaimedJob.class));
    }

    /**
     * {@code POST /api/v1/jobs/{jobId}/heartbeat} on the job's behalf: the renewed credential, or empty when the
     * scheduler no longer counts the job as running under this credential.
     */
    public Optional<String> heartbeat(String schedulerUrl, UUID jobId, String credential)
            throws IOException, InterruptedException, SchedulerException {
        HttpRequest request = HttpRequest.newBuilder(uri(schedulerUrl, "/api/v1/jobs/" + jobId + "/heartbeat"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + credential)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            String renewed =
                    json.readTree(send(request).body()).path("credential").asText("");
            return renewed.isEmpty() ? Optional.empty() : Optional.of(renewed);
        } catch (SchedulerException e) {
            if (e.status() == 401 || e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Reports the job failed with {@code reason}. Returns false when the scheduler no longer counts the job as
     * running under this credential (the job's executor reported it already, or it was canceled or declared lost).
     */
    public boolean fail(String schedulerUrl, UUID jobId, String credential, String reason)
            throws IOException, InterruptedException, SchedulerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("exit_code", 1);
        body.put("reason", reason.length() > 500 ? reason.substring(0, 497) + "..." : reason);
        HttpRequest request = HttpRequest.newBuilder(uri(schedulerUrl, "/api/v1/jobs/" + jobId + "/complete"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        try {
            send(request);
            return true;
        } catch (SchedulerException e) {
            if (e.status() == 401 || e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private HttpResponse<String> send(HttpRequest request)
            throws IOException, InterruptedException, SchedulerException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        throw new SchedulerException(
                status,
                request.method() + " " + request.uri().getPath() + " answered " + status
                        + problemTitle(response.body()));
    }

    /** ": title" of an RFC 9457 body, or nothing. */
    private String problemTitle(String body) {
        try {
            JsonNode problem = json.readTree(body);
            String title = problem == null ? "" : problem.path("title").asText("");
            return title.isEmpty() ? "" : ": " + title;
        } catch (IOException e) {
            return "";
        }
    }

    private static URI uri(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + path);
    }
}
