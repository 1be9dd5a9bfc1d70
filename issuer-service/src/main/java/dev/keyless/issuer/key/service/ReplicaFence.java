package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.repository.KeyRingRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.UUID;

/**
 * Makes a revoke effective on every replica before it answers. Each replica holds a lease in
 * {@code key_ring_replica}, renewed only together with the ring version it has loaded, and signs only while its
 * lease runs (checked on the mint path: one volatile read). The revoking replica waits until every replica
 * has acknowledged the revoking version or its lease has run out, so no replica signs with a revoked key after
 * the revoke answered, even one cut off from the database.
 * <p>
 * The local lease starts before the statement that renews the row, and the row's lease is computed by the
 * database after it, so the database's lease always outlasts the local one; only clock rates matter, not clock
 * offsets.
 */
final class ReplicaFence {

    private static final Duration ACK_POLL = Duration.ofMillis(50);

    private final UUID replicaId = UUID.randomUUID();
    private final Duration lease;
    private final KeyRingRepository repository;
    private volatile long validUntilNanos = System.nanoTime();

    ReplicaFence(Duration lease, KeyRingRepository repository) {
        this.lease = lease;
        this.repository = repository;
    }

    /** Whether this replica may sign: its ring is known to be current within the lease. */
    boolean valid() {
        return System.nanoTime() - validUntilNanos < 0;
    }

    /**
     * Acknowledges {@code loadedVersion} and renews the lease, if that version is still the ring's current one.
     *
     * @return false when the ring moved on (the caller reloads first)
     */
    Uni<Boolean> heartbeat(long loadedVersion) {
        long started = System.nanoTime();
        return repository.acknowledge(replicaId, loadedVersion, lease).map(renewed -> {
            if (renewed) {
                validUntilNanos = started + lease.toNanos();
            }
            return renewed;
        });
    }

    /** Completes once no replica may still sign with a ring older than {@code version}. */
    Uni<Void> awaitAcknowledged(long version) {
        return repository
                .replicasBehind(version)
                .chain(behind -> behind == 0
                        ? Uni.createFrom().voidItem()
                        : pause(ACK_POLL).chain(() -> awaitAcknowledged(version)));
    }

    /** A replica that stops takes no part in later revokes. */
    Uni<Void> leave() {
        validUntilNanos = System.nanoTime();
        return repository.removeReplica(replicaId);
    }

    /** Rows of replicas that died without leaving: their leases ran out long ago. */
    Uni<Void> purgeDead() {
        return repository.purgeDeadReplicas();
    }

    /** A timer on the caller's Vert.x context, so the reactive session stays on its context. */
    private static Uni<Void> pause(Duration duration) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> context.owner()
                .setTimer(duration.toMillis(), id -> context.runOnContext(ignored -> emitter.complete(null))));
    }
}
