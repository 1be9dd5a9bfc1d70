package dev.keyless.issuer.key.service;

import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.key.crypto.KeySealer;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.repository.KeyRingRepository;
import dev.keyless.issuer.token.mint.TokenMinter;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas on one database: the service's own ring (replica A, revoked through the admin API) and a second
 * {@link KeyRingService} (replica B) polling every second like the scheduler does while two threads mint on it
 * without pause. Five rounds of revoking the key replica B signs with.
 */
@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class RevokeAcrossReplicasTest {

    @Inject
    IssuerConfig config;

    @Inject
    KeySealer sealer;

    @Inject
    RotationPolicy policy;

    @Inject
    KeyRingRepository repository;

    /** A token replica B let out (its signature passed the published-key check), and when. */
    private record Shipped(String kid, long at) {}

    @Test
    void noReplicaShipsATokenOfARevokedKeyAfterTheRevokeAnswered() throws Throwable {
        KeyRingService replicaB = new KeyRingService(config, sealer, policy, repository, new SimpleMeterRegistry());
        replicaB.start();
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(3);
        AtomicBoolean minting = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Shipped> shipped = new ConcurrentLinkedQueue<>();
        try {
            workers.scheduleWithFixedDelay(
                    () -> {
                        try {
                            VertxContextSupport.subscribeAndAwait(replicaB::pollRingVersion);
                        } catch (Throwable e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    0,
                    1,
                    TimeUnit.SECONDS);
            for (int i = 0; i < 2; i++) {
                workers.submit(() -> mintWithoutPause(replicaB, minting, shipped));
            }
            for (int round = 0; round < 5; round++) {
                String revokedKid =
                        await().atMost(Duration.ofSeconds(20)).until(() -> activeKid(replicaB), k -> k != null);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> shipped.stream().anyMatch(s -> s.kid().equals(revokedKid)));

                given().header("Authorization", "Bearer " + TestTokens.platformAdmin())
                        .post("/api/v1/admin/keys/{kid}/revoke", revokedKid)
                        .then()
                        .statusCode(200);
                long answered = System.nanoTime();

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> shipped.stream()
                                        .filter(s ->
                                                s.at() > answered && !s.kid().equals(revokedKid))
                                        .count()
                                >= 20);
                List<Shipped> late = shipped.stream()
                        .filter(s -> s.kid().equals(revokedKid) && s.at() > answered)
                        .toList();
                assertEquals(
                        List.of(),
                        late,
                        "round " + round + ": tokens of the revoked key replica B shipped "
                                + "after the revoke answered");
            }
        } finally {
            minting.set(false);
            workers.shutdownNow();
            assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
            replicaB.stop();
        }
    }

    private static String activeKid(KeyRingService replica) {
        try {
            return replica.activeKey().kid();
        } catch (KeyRingUnavailableException e) {
            return null;
        }
    }

    /** The mint path's key handling as TokenService runs it: active key, sign, check against the published key. */
    private static void mintWithoutPause(
            KeyRingService replica, AtomicBoolean minting, ConcurrentLinkedQueue<Shipped> shipped) {
        TokenMinter minter = new TokenMinter();
        while (minting.get()) {
            SigningKey key;
            try {
                key = replica.activeKey();
            } catch (KeyRingUnavailableException e) {
                continue;
            }
            minter.mint(key, Map.of("jti", UUID.randomUUID().toString()));
            // taken before the check, so a check that passed before the revoke answered never counts as late
            long checked = System.nanoTime();
            Optional<?> published = replica.publishedKey(key.kid());
            if (published.isPresent()) {
                shipped.add(new Shipped(key.kid(), checked));
            }
        }
    }
}
