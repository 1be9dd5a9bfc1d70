package dev.keyless.issuer.key.service;

import io.quarkus.hibernate.reactive.panache.Panache;
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
    private volatile long validUntilNanos = System.nanoTime();

    ReplicaFence(Duration lease) {
        this.lease = lease;
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
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                                "insert into key_ring_replica (replica_id, acked_version, lease_until) "
                                        + "select :id, :version, now() + :millis * interval '1 millisecond' "
                                        + "where :version = (select version from key_ring where id = 1) "
                                        + "on conflict (replica_id) do update set acked_version = excluded.acked_version, "
                                        + "lease_until = excluded.lease_until")
                        .setParameter("id", replicaId).setParameter("version", loadedVersion)
                        .setParameter("millis", lease.toMillis()).executeUpdate()))
                .map(rows -> {
                    if (rows == 1) {
                        validUntilNanos = started + lease.toNanos();
                    }
                    return rows == 1;
                });
    }

    /** Completes once no replica may still sign with a ring older than {@code version}. */
    Uni<Void> awaitAcknowledged(long version) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                                "select count(*) from key_ring_replica where acked_version < :version and lease_until > now()",
                                Long.class)
                        .setParameter("version", version).getSingleResult()))
                .chain(behind -> behind == 0 ? Uni.createFrom().voidItem()
                        : pause(ACK_POLL).chain(() -> awaitAcknowledged(version)));
    }

    /** A replica that stops takes no part in later revokes. */
    Uni<Void> leave() {
        validUntilNanos = System.nanoTime();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("delete from key_ring_replica where replica_id = :id")
                .setParameter("id", replicaId).executeUpdate())).replaceWithVoid();
    }

    /** Rows of replicas that died without leaving: their leases ran out long ago. */
    Uni<Void> purgeDead() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("delete from key_ring_replica where lease_until < now() - interval '1 hour'")
                .executeUpdate())).replaceWithVoid();
    }

    /** A timer on the caller's Vert.x context, so the reactive session stays on its context. */
    private static Uni<Void> pause(Duration duration) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(duration.toMillis(),
                id -> context.runOnContext(ignored -> emitter.complete(null))));
    }
}
