package dev.keyless.context.context;

import dev.keyless.context.support.Database;
import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static dev.keyless.context.support.Api.asAdmin;
import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class ConcurrentVariableUpdateTest {

    @Test
    void concurrentWritesOfOneVariableAllSucceedAndLeaveOneDecryptableValue() throws Exception {
        UUID org = UUID.randomUUID();
        String name = uniqueName("contended");
        UUID context = createContext(org, name);
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<CompletableFuture<Integer>> writes = IntStream.range(0, writers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> asAdmin(org)
                                    .body(Map.of("value", "concurrent-value-" + i))
                                    .put("/api/v1/orgs/{org}/contexts/{c}/env/SHARED", org, context)
                                    .statusCode(),
                            pool))
                    .toList();
            for (CompletableFuture<Integer> write : writes) {
                assertEquals(200, write.get());
            }
        } finally {
            pool.shutdownNow();
        }

        asAdmin(org)
                .get("/api/v1/orgs/{org}/contexts/{c}/env", org, context)
                .then()
                .statusCode(200)
                .body("$", hasSize(1));
        assertEquals(
                writers,
                Database.count(
                        "select count(*) from audit_record where context_id = ? and action = " + "'variable.set'",
                        context));
        JobStarted job = JobEvents.started(org, UUID.randomUUID(), List.of(name));
        JobEvents.resolved(job);
        IssuerContractStub.tokens(job.jobId(), "t1", "t2");
        String value = given().auth()
                .oauth2(TestTokens.jobCredential(job.jobId(), org))
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .extract()
                .path("variables.SHARED");
        assertTrue(value.startsWith("concurrent-value-"), value);
    }
}
