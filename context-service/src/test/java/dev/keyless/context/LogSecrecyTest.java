package dev.keyless.context;

import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;

import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Captures everything the service logs (every category, every level) through a whole job. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class LogSecrecyTest {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            StringBuilder line =
                    new StringBuilder(record.getLoggerName()).append(' ').append(record.getFormattedMessage());
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t);
            }
            lines.add(line.toString());
        }
    };
    private Level previousKeylessLevel;

    @BeforeEach
    void captureEverything() {
        capture.setLevel(Level.ALL);
        LogContext.getLogContext().getLogger("").addHandler(capture);
        Logger keyless = LogContext.getLogContext().getLogger("dev.keyless");
        previousKeylessLevel = keyless.getLevel();
        keyless.setLevel(Level.ALL);
    }

    @AfterEach
    void stopCapturing() {
        LogContext.getLogContext().getLogger("").removeHandler(capture);
        LogContext.getLogContext().getLogger("dev.keyless").setLevel(previousKeylessLevel);
    }

    @Test
    void aWholeJobLogsNoSecretValueNoTokenAndNoCredential() {
        UUID org = UUID.randomUUID();
        String secret = "log-canary-secret-" + UUID.randomUUID();
        String v1 = "log-canary-v1-" + UUID.randomUUID();
        String v2 = "log-canary-v2-" + UUID.randomUUID();
        String name = uniqueName("logged");
        UUID context = createContext(org, name);
        asAdmin(org)
                .body(Map.of("value", secret))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/CANARY", org, context)
                .then()
                .statusCode(200);
        // a rejected write and a value in a bad request must not reach the log either
        asAdmin(org)
                .body(Map.of("value", secret))
                .put("/api/v1/orgs/{org}/contexts/{c}/env/1BAD", org, context)
                .then()
                .statusCode(400);
        JobStarted job = JobEvents.started(org, UUID.randomUUID(), List.of(name));
        JobEvents.resolved(job);
        String credential = TestTokens.jobCredential(job.jobId(), org);
        given().auth()
                .oauth2(credential)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(503);
        IssuerContractStub.tokens(job.jobId(), v1, v2);
        given().auth()
                .oauth2(credential)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(credential)
                .accept("text/plain")
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.tamper(credential))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(401);
        JobEvents.send(JobEvents.finished(job.jobId(), org));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(credential)
                                .get("/api/v1/jobs/{job}/environment", job.jobId())
                                .statusCode()
                        == 401);

        assertTrue(
                lines.stream().anyMatch(line -> line.contains(job.jobId().toString())),
                "the capture saw the job's log lines");
        String signature = credential.substring(credential.lastIndexOf('.') + 1);
        for (String line : lines) {
            assertFalse(line.contains(secret), line);
            assertFalse(line.contains(v1) || line.contains(v2), line);
            assertFalse(line.contains(signature), line);
        }
    }
}
