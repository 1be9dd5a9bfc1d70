package dev.keyless.issuer.token.service;

import dev.keyless.issuer.TestJobs;
import dev.keyless.testing.KeylessTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The issuer mints a resolved job's tokens when the resolution arrives, from the row it just stored. */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class TokenPreMintTest {

    @Inject
    TokenCache cache;

    @Inject
    MeterRegistry registry;

    @Test
    void aResolvedJobsTokensAreMintedBeforeItsFirstPullWhichTheCacheServes() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 1);
        TestJobs.resolve(job);
        // no pull has been made: only the consumer can have put them there
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.get(job.jobId()).isPresent());
        double hits = cacheCount("hit");
        double misses = cacheCount("miss");

        assertEquals(200, TestJobs.pullTokens(job).statusCode());

        assertEquals(hits + 1, cacheCount("hit"));
        assertEquals(misses, cacheCount("miss"));
    }

    @Test
    void aJobThatUsesNoContextGetsNoTokensMintedAhead() {
        TestJobs.Job job = TestJobs.newJob(UUID.randomUUID(), 0);
        TestJobs.resolve(job);
        // 404 "uses no context" once the resolution is stored (503 before)
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TestJobs.pullTokens(job).statusCode() == 404);

        assertTrue(cache.get(job.jobId()).isEmpty());
    }

    private double cacheCount(String result) {
        return registry.get("keyless.issuer.token.cache")
                .tag("result", result)
                .counter()
                .count();
    }
}
