package dev.keyless.issuer.key.service;

import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.key.crypto.KeySealer;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.model.SigningKeyEntity;
import dev.keyless.issuer.key.repository.KeyRingRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The key ring: PostgreSQL holds the keys (private parts sealed under the KEK, public data and timelines bound
 * to it by a MAC), every replica keeps a snapshot in memory and reloads it when the ring version moves. Every
 * change (first start, standby upkeep, admin rotate, emergency revoke) is planned by {@link RingPlanner} and
 * applied under a PostgreSQL advisory lock ({@link KeyRingRepository}), so one replica acts at a time. A revoke
 * answers once every replica has loaded it ({@link ReplicaFence}).
 */
@ApplicationScoped
public class KeyRingService implements KeyManager {

    private static final Logger LOG = Logger.getLogger(KeyRingService.class);

    private final IssuerConfig.Keys config;
    private final SigningAlgorithm algorithm;
    private final RingPlanner planner;
    private final KeyRows keyRows;
    private final KeyRingRepository repository;
    private final ReplicaFence fence;
    private volatile KeyRing ring = KeyRing.EMPTY;
    private volatile int untrustedRows;

    public KeyRingService(
            IssuerConfig config,
            KeySealer sealer,
            RotationPolicy policy,
            KeyRingRepository repository,
            MeterRegistry registry) {
        this.config = config.keys();
        this.algorithm = SigningAlgorithm.parse(this.config.algorithm());
        if (this.config.ringLease().compareTo(this.config.ringPollInterval().multipliedBy(2)) <= 0) {
            throw new IllegalStateException("keyless.issuer.keys.ring-lease must be longer than twice "
                    + "keyless.issuer.keys.ring-poll-interval, or a replica stops signing after one slow poll");
        }
        if (this.config.rsaKeySize() < 2048) {
            throw new IllegalStateException("keyless.issuer.keys.rsa-key-size must be 2048 or more");
        }
        this.planner = new RingPlanner(policy);
        this.keyRows = new KeyRows(sealer);
        this.repository = repository;
        this.fence = new ReplicaFence(this.config.ringLease(), repository);
        Gauge.builder("keyless.issuer.key.active.age", this, s -> s.ring.activeAgeSeconds(Instant.now()))
                .description("Seconds since the active signing key started signing")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(
                        "keyless.issuer.key.next.rotation",
                        this,
                        s -> s.ring.secondsToNextRotation(Instant.now(), s.config.rotationPeriod()))
                .description("Seconds until the next key starts signing")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("keyless.issuer.key.untrusted", this, s -> s.untrustedRows)
                .description(
                        "Signing-key rows failing their KEK binding at the last ring load (never published or used)")
                .register(registry);
    }

    /** The service takes no traffic before it can sign: load the ring (creating the first keys) at start. */
    void onStart(@Observes StartupEvent event) throws Throwable {
        start();
        Optional<RingKey> active = ring.activeAt(Instant.now());
        LOG.infof(
                "key ring version %d loaded; active key %s",
                ring.version(), active.map(RingKey::kid).orElse("none"));
    }

    /** A stopping replica leaves the fence, so later revokes do not wait for its lease. */
    void onStop(@Observes ShutdownEvent event) {
        try {
            stop();
        } catch (Throwable e) {
            // its lease runs out instead: revokes wait at most that long for it
            LOG.warnf(
                    "could not leave the key ring's replica set: %s",
                    e.getClass().getSimpleName());
        }
    }

    void start() throws Throwable {
        VertxContextSupport.subscribeAndAwait(
                () -> bindLegacyKeys().chain(this::maintain).chain(this::refresh));
    }

    void stop() throws Throwable {
        VertxContextSupport.subscribeAndAwait(fence::leave);
    }

    @Scheduled(
            every = "${keyless.issuer.keys.ring-poll-interval:2s}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pollRingVersion() {
        return repository
                .currentVersion()
                .chain(version ->
                        version == ring.version() ? fence.heartbeat(version).replaceWithVoid() : refresh())
                .chain(this::maintain)
                .onFailure()
                .invoke(f -> LOG.warnf("key ring poll failed: %s", f.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull();
    }

    @Scheduled(
            every = "${keyless.issuer.keys.rotation-check-interval:30s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> housekeeping() {
        return repository
                .destroyUnusedPrivateKeys(Instant.now())
                .chain(fence::purgeDead)
                .onFailure()
                .invoke(f -> LOG.warnf(
                        "key ring housekeeping failed: %s", f.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull();
    }

    /** Keeps a key signing and a standby published; only the replica holding the advisory lock acts. */
    Uni<Void> maintain() {
        if (ring.loaded() && planner.maintain(candidates(ring), now()).empty()) {
            return Uni.createFrom().voidItem();
        }
        return change(false, rows -> planner.maintain(keyRows.plannable(rows), now()), 0)
                .replaceWithVoid()
                .chain(this::refresh);
    }

    /**
     * Admin rotation: the standby, already published, signs as soon as relying parties have had it for the
     * publish-ahead, and a new standby is published. Answers the key that takes over.
     */
    public Uni<KeyView> rotateNow() {
        Instant[] takeover = new Instant[1];
        return change(
                        true,
                        rows -> {
                            List<RingPlanner.Key> keys = keyRows.plannable(rows);
                            RingPlanner.Plan plan = planner.rotate(keys, now());
                            takeover[0] = plan.takeover(keys);
                            return plan;
                        },
                        1)
                .call(this::refresh)
                .map(rows -> rows.stream()
                        .filter(r -> r.revokedAt == null && r.activateAt.equals(takeover[0]))
                        .findFirst()
                        .map(r -> KeyView.of(r, Instant.now(), true))
                        .orElseThrow());
    }

    /**
     * Emergency revoke: the key leaves the JWKS and its private part is destroyed. When it was signing, the
     * standby (published long ago) signs at once; a new standby is published. Answers once no replica can sign
     * with the revoked key any more.
     */
    public Uni<KeyView> revoke(String kid) {
        return change(true, rows -> planner.revoke(keyRows.plannable(rows), keyRows.target(rows, kid), now()), 2)
                .call(this::refresh)
                .call(() -> fence.awaitAcknowledged(ring.version()))
                .map(rows -> {
                    SigningKeyEntity target = keyRows.find(rows, kid);
                    return KeyView.of(target, Instant.now(), keyRows.trusted(target));
                });
    }

    /** Every key, newest first, for the admin listing. */
    public Uni<List<KeyView>> list() {
        Instant now = Instant.now();
        return repository.newestFirst().map(rows -> rows.stream()
                .map(r -> KeyView.of(r, now, keyRows.trusted(r)))
                .toList());
    }

    /**
     * Plans and applies a change of the ring in one transaction under the advisory lock ({@code waitForLock}
     * false: skip when another replica holds it). Fresh keys are generated before the transaction (RSA generation
     * takes tens of milliseconds); a plan needing more than {@code freshCount} is retried with enough.
     *
     * @return every row after the change
     */
    private Uni<List<SigningKeyEntity>> change(
            boolean waitForLock, Function<List<SigningKeyEntity>, RingPlanner.Plan> plan, int freshCount) {
        return generateKeys(freshCount)
                .chain(fresh -> repository.underRingLock(waitForLock, rows -> {
                    RingPlanner.Plan planned = plan.apply(rows);
                    if (planned.created().size() > fresh.size()) {
                        return Uni.createFrom()
                                .failure(new NeedMoreKeys(planned.created().size()));
                    }
                    if (planned.empty()) {
                        return Uni.createFrom().item(rows);
                    }
                    List<SigningKeyEntity> created = keyRows.write(rows, planned, fresh, now());
                    List<SigningKeyEntity> all = new ArrayList<>(rows);
                    all.addAll(created);
                    return (planned.movesRing()
                                    ? repository.persistAndBump(created)
                                    : Uni.createFrom().voidItem())
                            .replaceWith(all);
                }))
                .onFailure(NeedMoreKeys.class)
                .recoverWithUni(f -> change(waitForLock, plan, ((NeedMoreKeys) f).count));
    }

    /**
     * Rows from before bindings existed get theirs once, at the first start after the upgrade (while no row has
     * one yet); the timeline of such a row is trusted as it stands at that start.
     */
    private Uni<Void> bindLegacyKeys() {
        return repository
                .unboundLegacyRows()
                .chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : VertxContextSupport.executeBlocking(() -> keyRows.legacyBindings(rows))
                                .chain(macs -> repository.underRingLock(
                                        true,
                                        current -> keyRows.bindLegacy(current, macs) == 0
                                                ? Uni.createFrom().item(current)
                                                : repository.bumpVersion().replaceWith(current)))
                                .replaceWithVoid());
    }

    private Uni<List<SigningKey>> generateKeys(int count) {
        Uni<List<SigningKey>> keys = Uni.createFrom().item(List.of());
        for (int i = 0; i < count; i++) {
            keys = keys.chain(sofar -> generateKey().map(key -> {
                List<SigningKey> more = new ArrayList<>(sofar);
                more.add(key);
                return more;
            }));
        }
        return keys;
    }

    private Uni<SigningKey> generateKey() {
        // RSA key generation takes tens of milliseconds: keep it off the event loop
        return VertxContextSupport.executeBlocking(() -> SigningKey.generate(newKid(), algorithm, config.rsaKeySize()));
    }

    private static String newKid() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Instants as PostgreSQL stores them (microseconds), so a row's binding survives the round trip. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The plan needs more fresh keys than were generated before the transaction. */
    private static final class NeedMoreKeys extends RuntimeException {
        final int count;

        NeedMoreKeys(int count) {
            super(null, null, false, false);
            this.count = count;
        }
    }

    private static List<RingPlanner.Key> candidates(KeyRing snapshot) {
        return snapshot.publishedAt(Instant.now()).stream()
                .map(k -> new RingPlanner.Key(k.kid(), k.timeline(), k.createdAt(), k.signer() != null))
                .toList();
    }

    /** Reloads the ring, then acknowledges the loaded version and renews this replica's lease. */
    private Uni<Void> refresh() {
        return reload().chain(() -> fence.heartbeat(ring.version())).replaceWithVoid();
    }

    private Uni<Void> reload() {
        return repository
                .publishedRows(Instant.now())
                // unsealing and self-testing keys is CPU work: off the event loop
                .chain(loaded -> VertxContextSupport.executeBlocking(() -> {
                    List<SigningKeyEntity> trustedRows = keyRows.trustedOnly(loaded.rows());
                    untrustedRows = loaded.rows().size() - trustedRows.size();
                    return new KeyRing(
                            loaded.version(),
                            trustedRows.stream()
                                    .map(keyRows::toRingKey)
                                    .flatMap(Optional::stream)
                                    .toList());
                }))
                .invoke(loaded -> ring = loaded)
                .replaceWithVoid();
    }

    @Override
    public SigningKey activeKey() {
        // a replica whose lease ran out may hold a ring missing a revoke: it signs nothing
        if (!fence.valid()) {
            throw new KeyRingUnavailableException();
        }
        return ring.signerAt(Instant.now()).orElseThrow(KeyRingUnavailableException::new);
    }

    @Override
    public Optional<PublicKey> publishedKey(String kid) {
        // the mint path checks every token against this after signing: past its lease, nothing passes
        if (!fence.valid()) {
            return Optional.empty();
        }
        return ring.published(kid, Instant.now()).map(RingKey::publicKey);
    }

    @Override
    public PublishedKeys publishedKeys() {
        KeyRing current = ring;
        return new PublishedKeys(
                current.version(),
                current.publishedAt(Instant.now()).stream()
                        .map(k -> new PublishedKeys.Jwk(k.kid(), k.publicJwkJson()))
                        .toList());
    }

    @Override
    public boolean ready() {
        return ring.loaded() && fence.valid() && ring.activeAt(Instant.now()).isPresent();
    }
}
