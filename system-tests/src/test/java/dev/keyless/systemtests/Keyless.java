package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.testing.TestTokens;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Drives the platform as its users do: admins over the APIs, an executor claiming and running jobs. */
public final class Keyless {

    public static final String VCS_ORIGIN = "github.com/acme/app";
    private static final Duration JOB_WAIT = Duration.ofSeconds(60);

    private final KeylessPlatform platform;

    public Keyless(KeylessPlatform platform) {
        this.platform = platform;
    }

    /** An org with one project and one user, ready to run pipelines. */
    public record Org(UUID id, UUID projectId, UUID userId, String adminToken) {}

    public record Claim(UUID jobId, String credential, JsonNode body) {}

    public Org createOrg() {
        JsonNode org = created(Http.post(
                platform.schedulerUrl() + "/api/v1/orgs",
                TestTokens.platformAdmin(),
                Map.of("name", "org-" + UUID.randomUUID())));
        UUID orgId = UUID.fromString(org.get("id").asText());
        String admin = TestTokens.orgAdmin(orgId);
        JsonNode project = created(Http.post(
                platform.schedulerUrl() + "/api/v1/orgs/" + orgId + "/projects",
                admin,
                Map.of("name", "app", "vcs_origin", VCS_ORIGIN)));
        JsonNode user = created(
                Http.post(platform.schedulerUrl() + "/api/v1/orgs/" + orgId + "/users", admin, Map.of("name", "ada")));
        return new Org(
                orgId,
                UUID.fromString(project.get("id").asText()),
                UUID.fromString(user.get("id").asText()),
                admin);
    }

    public UUID createContext(Org org, String name, Map<String, String> variables) {
        JsonNode context = created(Http.post(
                platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts",
                org.adminToken(),
                Map.of("name", name)));
        UUID contextId = UUID.fromString(context.get("id").asText());
        variables.forEach((variable, value) -> {
            Http.Response response = Http.put(
                    platform.contextUrl() + "/api/v1/orgs/" + org.id() + "/contexts/" + contextId + "/env/" + variable,
                    org.adminToken(),
                    Map.of("value", value));
            assertEquals(200, response.status(), () -> "PUT variable " + variable + ": " + response);
        });
        return contextId;
    }

    /** A job for {@link #trigger(Org, List)}. */
    public static Map<String, Object> job(String name, String command, List<String> contexts, List<String> requires) {
        return Map.of(
                "name",
                name,
                "command",
                command,
                "contexts",
                contexts,
                "requires",
                requires,
                "ssh_rerun",
                false,
                "timeout_seconds",
                300);
    }

    /** Triggers a one-workflow pipeline on refs/heads/main; returns the pipeline view. */
    public JsonNode trigger(Org org, List<Map<String, Object>> jobs) {
        return created(Http.post(
                platform.schedulerUrl() + "/api/v1/projects/" + org.projectId() + "/pipelines",
                org.adminToken(),
                Map.of(
                        "ref",
                        "refs/heads/main",
                        "revision",
                        "0123456789abcdef0123456789abcdef01234567",
                        "trigger_source",
                        "api",
                        "user_id",
                        org.userId().toString(),
                        "workflows",
                        List.of(Map.of("name", "build-and-deploy", "jobs", jobs)))));
    }

    /** Triggers a pipeline from a CircleCI 2.1-shaped config on refs/heads/main; returns the pipeline view. */
    public JsonNode triggerYaml(Org org, String config) {
        return created(Http.send(
                "POST",
                platform.schedulerUrl() + "/api/v1/projects/" + org.projectId()
                        + "/pipelines?ref=refs/heads/main&revision=0123456789abcdef0123456789abcdef01234567"
                        + "&trigger_source=push&user_id=" + org.userId(),
                org.adminToken(),
                config,
                "application/x-yaml"));
    }

    public static UUID jobId(JsonNode pipeline, String name) {
        for (JsonNode workflow : pipeline.get("workflows")) {
            for (JsonNode job : workflow.get("jobs")) {
                if (job.get("name").asText().equals(name)) {
                    return UUID.fromString(job.get("id").asText());
                }
            }
        }
        throw new AssertionError("no job " + name + " in " + pipeline);
    }

    /**
     * Claims as an executor until this job comes; a job of an earlier test still queued is failed on the way
     * (tests run one after the other, so no other test is waiting for it).
     */
    public Claim claim(UUID jobId) {
        Instant deadline = Instant.now().plus(JOB_WAIT);
        while (Instant.now().isBefore(deadline)) {
            Http.Response response = Http.send(
                    "POST",
                    platform.schedulerUrl() + "/api/v1/executor/claim?wait_seconds=2",
                    platform.executorToken(),
                    null,
                    null);
            if (response.status() == 204) {
                continue;
            }
            assertEquals(200, response.status(), () -> "claim: " + response);
            JsonNode body = response.json();
            UUID claimed = UUID.fromString(body.get("job_id").asText());
            String credential = body.get("credential").asText();
            if (claimed.equals(jobId)) {
                return new Claim(claimed, credential, body);
            }
            complete(claimed, credential, 1);
        }
        return fail("job " + jobId + " was not claimable within " + JOB_WAIT.toSeconds() + " s");
    }

    /** The job's environment, asking again while context-service answers 503 (resolution or minting under way). */
    public Http.Response environment(UUID jobId, String credential) {
        Supplier<Http.Response> pull =
                () -> Http.get(platform.contextUrl() + "/api/v1/jobs/" + jobId + "/environment", credential);
        try {
            return await().atMost(JOB_WAIT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(300))
                    .until(pull::get, response -> response.status() != 503);
        } catch (ConditionTimeoutException e) {
            // the caller judges the answer it still gets after the wait
            return pull.get();
        }
    }

    public Http.Response complete(UUID jobId, String credential, int exitCode) {
        return Http.post(
                platform.schedulerUrl() + "/api/v1/jobs/" + jobId + "/complete",
                credential,
                Map.of("exit_code", exitCode));
    }

    public JsonNode job(Org org, UUID jobId) {
        Http.Response response = Http.get(platform.schedulerUrl() + "/api/v1/jobs/" + jobId, org.adminToken());
        assertEquals(200, response.status(), () -> "GET job: " + response);
        return response.json();
    }

    /** Waits until the job reaches one of the statuses; returns the job view. */
    public JsonNode awaitStatus(Org org, UUID jobId, Duration timeout, String... statuses) {
        Set<String> wanted = Arrays.stream(statuses).map(String::toLowerCase).collect(Collectors.toSet());
        try {
            return await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () -> job(org, jobId),
                            job -> wanted.contains(job.get("status").asText().toLowerCase()));
        } catch (ConditionTimeoutException e) {
            JsonNode job = job(org, jobId);
            return fail("job " + jobId + " is " + job.get("status").asText() + ", not " + wanted + " after "
                    + timeout.toSeconds() + " s: " + job);
        }
    }

    private static JsonNode created(Http.Response response) {
        assertEquals(201, response.status(), () -> "expected 201: " + response);
        return response.json();
    }
}
