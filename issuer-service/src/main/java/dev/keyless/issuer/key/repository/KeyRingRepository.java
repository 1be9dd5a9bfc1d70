package dev.keyless.issuer.key.repository;

import dev.keyless.issuer.key.model.KeyRingVersion;
import dev.keyless.issuer.key.model.SigningKeyEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The key ring's storage: signing-key rows, the ring version every replica polls, the advisory lock under which
 * one replica at a time changes the ring, and the replicas' leases ({@code key_ring_replica}).
 */
@ApplicationScoped
public class KeyRingRepository {

    /** Arbitrary constant naming "key ring changes" among the service's advisory locks. */
    private static final long RING_LOCK = 0x6b65792d72696e67L;

    /** The ring version and the rows loaded with it. */
    public record VersionedRows(long version, List<SigningKeyEntity> rows) {}

    /**
     * Runs {@code work} on every row in one transaction under the ring's advisory lock. With {@code waitForLock}
     * false it skips when another replica holds the lock, answering no rows.
     */
    @WithTransaction
    public Uni<List<SigningKeyEntity>> underRingLock(
            boolean waitForLock, Function<List<SigningKeyEntity>, Uni<List<SigningKeyEntity>>> work) {
        Uni<Boolean> locked = waitForLock ? lock().replaceWith(true) : tryLock();
        return locked.chain(held -> held
                ? SigningKeyEntity.<SigningKeyEntity>listAll().chain(rows -> work.apply(rows))
                : Uni.createFrom().item(List.<SigningKeyEntity>of()));
    }

    /** Persists new rows and moves the ring version on; inside {@link #underRingLock}. */
    public Uni<Void> persistAndBump(List<SigningKeyEntity> created) {
        return SigningKeyEntity.persist(created).chain(this::bumpVersion);
    }

    /** Moves the ring version on, so every replica reloads; inside {@link #underRingLock}. */
    public Uni<Void> bumpVersion() {
        return KeyRingVersion.update("version = version + 1 where id = ?1", KeyRingVersion.ROW)
                .replaceWithVoid();
    }

    /** Live rows holding a private part, when no row is bound to the KEK yet (the first start after bindings). */
    @WithSession
    public Uni<List<SigningKeyEntity>> unboundLegacyRows() {
        return SigningKeyEntity.count("binding is not null")
                .chain(bound -> bound > 0
                        ? Uni.createFrom().item(List.<SigningKeyEntity>of())
                        : SigningKeyEntity.<SigningKeyEntity>list(
                                "revokedAt is null and sealedPrivateKey is not null"));
    }

    @WithSession
    public Uni<Long> currentVersion() {
        return version();
    }

    /** The current version with the rows still published at {@code now} (not revoked, not unpublished). */
    @WithSession
    public Uni<VersionedRows> publishedRows(Instant now) {
        return version().chain(version -> SigningKeyEntity.<SigningKeyEntity>list(
                        "revokedAt is null and (unpublishAt is null or unpublishAt > ?1)", now)
                .map(rows -> new VersionedRows(version, rows)));
    }

    @WithSession
    public Uni<List<SigningKeyEntity>> newestFirst() {
        return SigningKeyEntity.<SigningKeyEntity>list("order by activateAt desc");
    }

    /** Private parts of revoked and unpublished keys are destroyed: a later database leak cannot reveal them. */
    @WithTransaction
    public Uni<Void> destroyUnusedPrivateKeys(Instant now) {
        return SigningKeyEntity.update(
                        "sealedPrivateKey = null where sealedPrivateKey is not null and "
                                + "(revokedAt is not null or unpublishAt < ?1)",
                        now)
                .replaceWithVoid();
    }

    /**
     * Records that {@code replicaId} loaded {@code version} and renews its lease, if that version is still the
     * ring's current one; the lease is computed by the database, after the statement.
     *
     * @return whether the lease was renewed
     */
    @WithTransaction
    public Uni<Boolean> acknowledge(UUID replicaId, long version, Duration lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into key_ring_replica (replica_id, acked_version, lease_until) "
                                        + "select :id, :version, now() + :millis * interval '1 millisecond' "
                                        + "where :version = (select version from key_ring where id = 1) "
                                        + "on conflict (replica_id) do update set acked_version = excluded.acked_version, "
                                        + "lease_until = excluded.lease_until")
                        .setParameter("id", replicaId)
                        .setParameter("version", version)
                        .setParameter("millis", lease.toMillis())
                        .executeUpdate())
                .map(rows -> rows == 1);
    }

    /** How many replicas may still sign with a ring older than {@code version}: behind it, their lease running. */
    @WithSession
    public Uni<Long> replicasBehind(long version) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select count(*) from key_ring_replica where acked_version < :version and lease_until > now()",
                        Long.class)
                .setParameter("version", version)
                .getSingleResult());
    }

    @WithTransaction
    public Uni<Void> removeReplica(UUID replicaId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("delete from key_ring_replica where replica_id = :id")
                        .setParameter("id", replicaId)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Rows of replicas that died without leaving: their leases ran out long ago. */
    @WithTransaction
    public Uni<Void> purgeDeadReplicas() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "delete from key_ring_replica where lease_until < now() - interval '1 hour'")
                        .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<Long> version() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select version from key_ring where id = 1", Long.class)
                        .getSingleResult());
    }

    private Uni<Boolean> tryLock() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select pg_try_advisory_xact_lock(:lock)", Boolean.class)
                        .setParameter("lock", RING_LOCK)
                        .getSingleResult());
    }

    private Uni<Void> lock() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select cast(pg_advisory_xact_lock(:lock) as text)", String.class)
                        .setParameter("lock", RING_LOCK)
                        .getSingleResult())
                .replaceWithVoid();
    }
}
