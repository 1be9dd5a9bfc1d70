package dev.keyless.scheduler.executor;

import dev.keyless.messaging.signal.CommitSignals;
import dev.keyless.scheduler.support.Api;
import dev.keyless.scheduler.support.Api.Fixture;
import dev.keyless.testing.KeylessTestResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.keyless.scheduler.support.Api.claim;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native queries on hot paths (the claim, commit notifications) reuse one cached query plan. Given a result class,
 * Hibernate caches a native select under a fresh key on every call: each claim then added a plan, the cache filled,
 * real plans were evicted and every lookup compared against thousands of same-hash keys (a visible share of the
 * scheduler's CPU under load).
 */
@QuarkusTest
@TestProfile(QueryPlanCacheTest.WithStatistics.class)
@QuarkusTestResource(KeylessTestResource.class)
class QueryPlanCacheTest {

    public static class WithStatistics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.hibernate-orm.statistics", "true");
        }
    }

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    CommitSignals signals;

    @Test
    void repeatedClaimsReuseTheirCachedQueryPlans() {
        Fixture fixture = Api.fixture();
        claim(fixture, 0).statusCode(204);
        Statistics statistics = sessions.getStatistics();
        long missesBefore = statistics.getQueryPlanCacheMissCount();

        int claims = 40;
        for (int i = 0; i < claims; i++) {
            claim(fixture, 0).statusCode(204);
        }

        long misses = statistics.getQueryPlanCacheMissCount() - missesBefore;
        // a few background looks (relay sweep, reaper) may plan a query of their own once; one per claim is the bug
        assertTrue(misses < claims / 4, claims + " claims missed the query plan cache " + misses + " times");
    }

    @Test
    void notificationsOfManyTopicsShareOneQueryPlan() throws Throwable {
        Statistics statistics = sessions.getStatistics();
        notifyTopic(UUID.randomUUID().toString());
        long missesBefore = statistics.getQueryPlanCacheMissCount();

        int topics = 40;
        for (int i = 0; i < topics; i++) {
            notifyTopic(UUID.randomUUID().toString());
        }

        long misses = statistics.getQueryPlanCacheMissCount() - missesBefore;
        assertTrue(misses < topics / 4, topics + " topics missed the query plan cache " + misses + " times");
    }

    private void notifyTopic(String topic) throws Throwable {
        VertxContextSupport.subscribeAndAwait(
                () -> Panache.withTransaction(() -> signals.notifyOnCommit("keyless_plan_cache_test", topic)));
    }
}
