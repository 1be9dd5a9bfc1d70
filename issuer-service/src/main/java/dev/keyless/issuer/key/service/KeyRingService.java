package dev.keyless.issuer.key.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.key.crypto.KeyBinding;
import dev.keyless.issuer.key.crypto.KeySealer;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;
import dev.keyless.issuer.key.model.KeyRingVersion;
import dev.keyless.issuer.key.model.SigningKeyEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The key ring: PostgreSQL holds the keys (private parts sealed under the KEK, public data and timelines bound
 * to it by a MAC), every replica keeps a snapshot in memory and reloads it when the ring version moves. Every
 * change (first start, standby upkeep, admin rotate, emergency revoke) is planned by {@link RingPlanner} and
 * applied under a PostgreSQL advisory lock, so one replica acts at a time. A revoke answers once every replica
 * has loaded it ({@link ReplicaFence}).
 */
@ApplicationScoped
public class KeyRingService implements KeyManager {

    private static final Logger LOG = Logger.getLogger(KeyRingService.class);
    /** Arbitrary constant naming "key ring changes" among the service's advisory locks. */
    private static final long RING_LOCK = 0x6b65792d72696e67L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IssuerConfig.Keys config;
    private final SigningAlgorithm algorithm;
    private final RotationPolicy policy;
    private final RingPlanner planner;
    private final KeySealer sealer;
    private final KeyBinding binding;
    private final ReplicaFence fence;
    private volatile KeyRing ring = KeyRing.EMPTY;
    private volatile int untrustedRows;
    private final AtomicReference<CachedKeySet> keySet = new AtomicReference<>();

    public KeyRingService(IssuerConfig config, MeterRegistry registry) {
        this.config = config.keys();
        this.algorithm = SigningAlgorithm.parse(this.config.algorithm());
        if (this.config.publishAhead().compareTo(this.config.jwksMaxAge()) <= 0) {
            throw new IllegalStateException("keyless.issuer.keys.publish-ahead must be longer than "
                    + "keyless.issuer.keys.jwks-max-age, or relying parties with a cached JWKS reject new tokens");
        }
        if (this.config.ringLease().compareTo(this.config.ringPollInterval().multipliedBy(2)) <= 0) {
            throw new IllegalStateException("keyless.issuer.keys.ring-lease must be longer than twice "
                    + "keyless.issuer.keys.ring-poll-interval, or a replica stops signing after one slow poll");
        }
        if (this.config.rsaKeySize() < 2048) {
            throw new IllegalStateException("keyless.issuer.keys.rsa-key-size must be 2048 or more");
        }
        Duration longestToken = config.tokenLifetime().compareTo(config.onDemand().maxTtl()) >= 0
                ? config.tokenLifetime() : config.onDemand().maxTtl();
        this.policy = new RotationPolicy(this.config.rotationPeriod(), this.config.publishAhead(), longestToken,
                this.config.unpublishMargin());
        this.planner = new RingPlanner(policy);
        this.sealer = sealerFromConfig(this.config);
        this.binding = sealer.binding();
        this.fence = new ReplicaFence(this.config.ringLease());
        Gauge.builder("keyless.issuer.key.active.age", this, s -> s.activeKeyAgeSeconds())
                .description("Seconds since the active signing key started signing").baseUnit("seconds")
                .register(registry);
        Gauge.builder("keyless.issuer.key.next.rotation", this, s -> s.secondsToNextRotation())
                .description("Seconds until the next key starts signing").baseUnit("seconds")
                .register(registry);
        Gauge.builder("keyless.issuer.key.untrusted", this, s -> s.untrustedRows)
                .description("Signing-key rows failing their KEK binding at the last ring load (never published or used)")
                .register(registry);
    }

    private static KeySealer sealerFromConfig(IssuerConfig.Keys config) {
        if (config.kek().isPresent()) {
            return KeySealer.fromBase64(config.kek().get());
        }
        if (config.kekFile().isPresent()) {
            try {
                return KeySealer.fromBase64(Files.readString(Path.of(config.kekFile().get()), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the key-encryption key file " + config.kekFile().get());
            }
        }
        if (config.allowGeneratedKek()) {
            LOG.warn("no key-encryption key configured: using an ephemeral one (dev/test only); keys sealed by "
                    + "earlier runs cannot sign and are replaced");
            return KeySealer.ephemeral();
        }
        throw new IllegalStateException("no key-encryption key: set keyless.issuer.keys.kek-file (a mounted "
                + "secret holding 32 base64 bytes) or keyless.issuer.keys.kek");
    }

    /** The service takes no traffic before it can sign: load the ring (creating the first keys) at start. */
    void onStart(@Observes StartupEvent event) throws Throwable {
        start();
        Optional<RingKey> active = ring.activeAt(Instant.now());
        LOG.infof("key ring version %d loaded; active key %s", ring.version(),
                active.map(RingKey::kid).orElse("none"));
    }

    /** A stopping replica leaves the fence, so later revokes do not wait for its lease. */
    void onStop(@Observes ShutdownEvent event) {
        try {
            stop();
        } catch (Throwable e) {
            // its lease runs out instead: revokes wait at most that long for it
            LOG.warnf("could not leave the key ring's replica set: %s", e.getClass().getSimpleName());
        }
    }

    void start() throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> bindLegacyKeys().chain(this::maintain).chain(this::refresh));
    }

    void stop() throws Throwable {
        VertxContextSupport.subscribeAndAwait(fence::leave);
    }

    @Scheduled(every = "${keyless.issuer.keys.ring-poll-interval:2s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pollRingVersion() {
        return currentVersion()
                .chain(version -> version == ring.version() ? fence.heartbeat(version).replaceWithVoid() : refresh())
                .chain(this::maintain)
                .onFailure().invoke(f -> LOG.warnf("key ring poll failed: %s", f.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    @Scheduled(every = "${keyless.issuer.keys.rotation-check-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> housekeeping() {
        return destroyUnusedPrivateKeys().chain(fence::purgeDead)
                .onFailure().invoke(f -> LOG.warnf("key ring housekeeping failed: %s", f.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Keeps a key signing and a standby published; only the replica holding the advisory lock acts. */
    Uni<Void> maintain() {
        if (ring.loaded() && planner.maintain(candidates(ring), now()).empty()) {
            return Uni.createFrom().voidItem();
        }
        return change(true, rows -> planner.maintain(trustedKeys(rows), now()), 0).replaceWithVoid().chain(this::refresh);
    }

    /**
     * Admin rotation: the standby, already published, signs as soon as relying parties have had it for the
     * publish-ahead, and a new standby is published. Answers the key that takes over.
     */
    public Uni<KeyView> rotateNow() {
        Instant[] takeover = new Instant[1];
        return change(false, rows -> {
            RingPlanner.Plan plan = planner.rotate(trustedKeys(rows), now());
            // the key taking over is the earliest one whose activation the plan brought forward or set
            Stream<Instant> movedUp = rows.stream().filter(r -> plan.changed().containsKey(r.kid)
                    && plan.changed().get(r.kid).activateAt().isBefore(r.activateAt))
                    .map(r -> plan.changed().get(r.kid).activateAt());
            takeover[0] = Stream.concat(movedUp, plan.created().stream().map(KeyTimeline::activateAt))
                    .min(Comparator.naturalOrder()).orElseThrow();
            return plan;
        }, 1).call(this::refresh).map(rows -> rows.stream()
                .filter(r -> r.revokedAt == null && r.activateAt.equals(takeover[0])).findFirst()
                .map(r -> KeyView.of(r, Instant.now(), true)).orElseThrow());
    }

    /**
     * Emergency revoke: the key leaves the JWKS and its private part is destroyed. When it was signing, the
     * standby (published long ago) signs at once; a new standby is published. Answers once no replica can sign
     * with the revoked key any more.
     */
    public Uni<KeyView> revoke(String kid) {
        return change(false, rows -> {
            SigningKeyEntity target = rows.stream().filter(r -> r.kid.equals(kid)).findFirst()
                    .orElseThrow(() -> new KeyNotFoundException(kid));
            if (target.revokedAt != null) {
                return new RingPlanner.Plan(Map.of(), List.of());
            }
            if (!trusted(target)) {
                // never published nor used; revoking it only records the operator's verdict and drops its secret
                target.revokedAt = now();
                target.sealedPrivateKey = null;
                return new RingPlanner.Plan(Map.of(), List.of());
            }
            return planner.revoke(trustedKeys(rows), kid, now());
        }, 2).call(this::refresh).call(() -> fence.awaitAcknowledged(ring.version()))
                .map(rows -> {
                    SigningKeyEntity target = rows.stream().filter(r -> r.kid.equals(kid)).findFirst().orElseThrow();
                    return KeyView.of(target, Instant.now(), trusted(target));
                });
    }

    /** Every key, newest first, for the admin listing. */
    public Uni<List<KeyView>> list() {
        Instant now = Instant.now();
        return Panache.withSession(() -> SigningKeyEntity.<SigningKeyEntity>list("order by activateAt desc"))
                .map(rows -> rows.stream().map(r -> KeyView.of(r, now, trusted(r))).toList());
    }

    /**
     * Plans and applies a change of the ring in one transaction under the advisory lock ({@code tryOnly}: skip
     * when another replica holds it). Fresh keys are generated before the transaction (RSA generation takes
     * tens of milliseconds); a plan needing more than {@code freshCount} is retried with enough.
     *
     * @return every row after the change
     */
    private Uni<List<SigningKeyEntity>> change(boolean tryOnly, Function<List<SigningKeyEntity>, RingPlanner.Plan> plan,
                                               int freshCount) {
        return generateKeys(freshCount).chain(fresh -> Panache.withTransaction(() -> (tryOnly ? tryLock() : lock().replaceWith(true))
                        .chain(locked -> !locked ? Uni.createFrom().item(List.<SigningKeyEntity>of()) : allKeys().chain(rows -> {
                            RingPlanner.Plan planned = plan.apply(rows);
                            if (planned.created().size() > fresh.size()) {
                                return Uni.createFrom().failure(new NeedMoreKeys(planned.created().size()));
                            }
                            if (planned.empty()) {
                                return Uni.createFrom().item(rows);
                            }
                            return apply(rows, planned, fresh);
                        }))))
                .onFailure(NeedMoreKeys.class).recoverWithUni(f -> change(tryOnly, plan, ((NeedMoreKeys) f).count));
    }

    private Uni<List<SigningKeyEntity>> apply(List<SigningKeyEntity> rows, RingPlanner.Plan plan, List<SigningKey> fresh) {
        Instant now = now();
        List<SigningKeyEntity> result = new ArrayList<>(rows);
        for (SigningKeyEntity row : rows) {
            KeyTimeline timeline = plan.changed().get(row.kid);
            if (timeline != null) {
                row.activateAt = timeline.activateAt();
                row.deactivateAt = timeline.deactivateAt();
                row.unpublishAt = timeline.unpublishAt();
                row.revokedAt = timeline.revokedAt();
                if (row.revokedAt != null) {
                    row.sealedPrivateKey = null;
                }
                bind(row);
            }
        }
        List<SigningKeyEntity> created = new ArrayList<>();
        for (int i = 0; i < plan.created().size(); i++) {
            SigningKey key = fresh.get(i);
            KeyTimeline timeline = plan.created().get(i);
            SigningKeyEntity entity = new SigningKeyEntity();
            entity.kid = key.kid();
            entity.algorithm = key.algorithm().name();
            entity.publicJwk = key.publicJwkJson();
            entity.sealedPrivateKey = sealer.seal(key);
            entity.kekId = sealer.kekId();
            entity.createdAt = now;
            entity.activateAt = timeline.activateAt();
            entity.deactivateAt = timeline.deactivateAt();
            entity.unpublishAt = timeline.unpublishAt();
            bind(entity);
            created.add(entity);
            LOG.infof("signing key %s (%s) created; signs from %s", entity.kid, entity.algorithm, entity.activateAt);
        }
        plan.changed().forEach((kid, timeline) -> {
            if (timeline.revokedAt() != null) {
                LOG.warnf("signing key %s revoked", kid);
            }
        });
        result.addAll(created);
        return SigningKeyEntity.persist(created).chain(this::bumpVersion).replaceWith(result);
    }

    private void bind(SigningKeyEntity row) {
        row.binding = binding.mac(row.kid, row.algorithm, row.publicJwk, row.timeline());
    }

    private boolean trusted(SigningKeyEntity row) {
        return binding.verify(row.kid, row.algorithm, row.publicJwk, row.timeline(), row.binding);
    }

    /** The live keys the planner may act on: revoked rows and rows failing their binding are left alone. */
    private List<RingPlanner.Key> trustedKeys(List<SigningKeyEntity> rows) {
        return rows.stream().filter(r -> r.revokedAt == null && trusted(r))
                .map(r -> new RingPlanner.Key(r.kid, r.timeline(), r.createdAt, usable(r))).toList();
    }

    /**
     * Rows from before bindings existed get theirs once, at the first start after the upgrade (while no row has
     * one yet), and only when their sealed private key opens under the KEK and matches the public JWK: AES-GCM
     * authenticates it, and the self-test ties the public key to it. The timeline of such a row is trusted as it
     * stands at that start.
     */
    private Uni<Void> bindLegacyKeys() {
        return Panache.withSession(() -> SigningKeyEntity.count("binding is not null").chain(bound -> bound > 0
                        ? Uni.createFrom().item(List.<SigningKeyEntity>of())
                        : SigningKeyEntity.<SigningKeyEntity>list("revokedAt is null and sealedPrivateKey is not null")))
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().voidItem() : VertxContextSupport.executeBlocking(() -> {
                    Map<String, byte[]> macs = new LinkedHashMap<>();
                    for (SigningKeyEntity row : rows) {
                        if (usable(row)) {
                            try {
                                sealer.unseal(row.kid, SigningAlgorithm.parse(row.algorithm), row.sealedPrivateKey, row.publicJwk);
                                macs.put(row.kid, binding.mac(row.kid, row.algorithm, row.publicJwk, row.timeline()));
                            } catch (IllegalStateException e) {
                                LOG.errorf("signing key %s cannot be bound to the KEK: %s", row.kid, e.getMessage());
                            }
                        }
                    }
                    return macs;
                }).chain(macs -> Panache.withTransaction(() -> lock().chain(this::allKeys).chain(current -> {
                    int bound = 0;
                    for (SigningKeyEntity row : current) {
                        byte[] mac = macs.get(row.kid);
                        // bound only if nothing changed since it was checked
                        if (mac != null && row.binding == null && row.revokedAt == null && binding.verify(
                                row.kid, row.algorithm, row.publicJwk, row.timeline(), mac)) {
                            row.binding = mac;
                            bound++;
                        }
                    }
                    LOG.infof("bound %d signing keys from before KEK bindings", bound);
                    return bound == 0 ? Uni.createFrom().voidItem() : bumpVersion();
                }))));
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

    private Uni<SigningKey> generateKey() {
        // RSA key generation takes tens of milliseconds: keep it off the event loop
        return VertxContextSupport.executeBlocking(() -> SigningKey.generate(newKid(), algorithm, config.rsaKeySize()));
    }

    private static String newKid() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Uni<Void> bumpVersion() {
        return KeyRingVersion.update("version = version + 1 where id = ?1", KeyRingVersion.ROW).replaceWithVoid();
    }

    private Uni<Boolean> tryLock() {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select pg_try_advisory_xact_lock(:lock)", Boolean.class)
                .setParameter("lock", RING_LOCK).getSingleResult());
    }

    private Uni<Void> lock() {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select cast(pg_advisory_xact_lock(:lock) as text)", String.class)
                .setParameter("lock", RING_LOCK).getSingleResult()).replaceWithVoid();
    }

    private Uni<List<SigningKeyEntity>> allKeys() {
        return SigningKeyEntity.listAll();
    }

    private Uni<Long> currentVersion() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("select version from key_ring where id = 1", Long.class).getSingleResult()));
    }

    /** Private parts of revoked and unpublished keys are destroyed: a later database leak cannot reveal them. */
    private Uni<Void> destroyUnusedPrivateKeys() {
        return Panache.withTransaction(() -> SigningKeyEntity.update(
                "sealedPrivateKey = null where sealedPrivateKey is not null and "
                        + "(revokedAt is not null or unpublishAt < ?1)", Instant.now())).replaceWithVoid();
    }

    private Uni<Void> reload() {
        return Panache.withSession(() -> currentVersion().chain(version -> SigningKeyEntity
                        .<SigningKeyEntity>list("revokedAt is null and (unpublishAt is null or unpublishAt > ?1)", Instant.now())
                        .map(rows -> new LoadedRows(version, rows))))
                // unsealing and self-testing keys is CPU work: off the event loop
                .chain(loaded -> VertxContextSupport.executeBlocking(() -> {
                    List<SigningKeyEntity> trustedRows = new ArrayList<>();
                    for (SigningKeyEntity row : loaded.rows()) {
                        if (trusted(row)) {
                            trustedRows.add(row);
                        } else {
                            LOG.errorf("signing key %s fails its KEK binding (written or altered outside the "
                                    + "service); it is neither published nor used", row.kid);
                        }
                    }
                    untrustedRows = loaded.rows().size() - trustedRows.size();
                    return new KeyRing(loaded.version(),
                            trustedRows.stream().map(this::toRingKey).flatMap(Optional::stream).toList());
                }))
                .invoke(loaded -> {
                    ring = loaded;
                    keySet.set(null);
                })
                .replaceWithVoid();
    }

    private Optional<RingKey> toRingKey(SigningKeyEntity row) {
        SigningAlgorithm rowAlgorithm = SigningAlgorithm.parse(row.algorithm);
        PublicKey publicKey;
        try {
            publicKey = SigningKey.publicKeyOf(row.publicJwk);
        } catch (java.text.ParseException | GeneralSecurityException e) {
            LOG.errorf("signing key %s has an unreadable public JWK; it is not published", row.kid);
            return Optional.empty();
        }
        SigningKey signer = null;
        if (usable(row) && row.timeline().stateAt(Instant.now()) != KeyState.RETIRING) {
            try {
                signer = sealer.unseal(row.kid, rowAlgorithm, row.sealedPrivateKey, row.publicJwk);
            } catch (IllegalStateException e) {
                LOG.errorf("%s; it stays published but cannot sign", e.getMessage());
            }
        }
        return Optional.of(new RingKey(row.kid, rowAlgorithm, row.timeline(), row.createdAt, row.publicJwk,
                publicKey, signer));
    }

    private boolean usable(SigningKeyEntity row) {
        return row.sealedPrivateKey != null && sealer.kekId().equals(row.kekId);
    }

    private static List<RingPlanner.Key> candidates(KeyRing snapshot) {
        return snapshot.publishedAt(Instant.now()).stream()
                .map(k -> new RingPlanner.Key(k.kid(), k.timeline(), k.createdAt(), k.signer() != null)).toList();
    }

    /** Reloads the ring, then acknowledges the loaded version and renews this replica's lease. */
    private Uni<Void> refresh() {
        return reload().chain(() -> fence.heartbeat(ring.version())).replaceWithVoid();
    }

    @Override
    public SigningKey activeKey() {
        // a replica whose lease ran out may hold a ring missing a revoke: it signs nothing
        if (!fence.valid()) {
            throw new KeyRingUnavailableException();
        }
        return ring.signerAt(Instant.now())
                .orElseThrow(KeyRingUnavailableException::new);
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
    public PublishedKeySet publishedKeySet() {
        KeyRing current = ring;
        List<RingKey> published = current.publishedAt(Instant.now());
        List<String> kids = published.stream().map(RingKey::kid).toList();
        CachedKeySet cached = keySet.get();
        // the set changes with the ring version and, between versions, as keys reach their unpublish time
        if (cached != null && cached.version() == current.version() && cached.set().kids().equals(kids)) {
            return cached.set();
        }
        PublishedKeySet fresh = render(published, kids);
        keySet.set(new CachedKeySet(current.version(), fresh));
        return fresh;
    }

    private static PublishedKeySet render(List<RingKey> published, List<String> kids) {
        try {
            List<Object> keys = new ArrayList<>();
            for (RingKey key : published) {
                keys.add(JSON.readValue(key.publicJwkJson(), Map.class));
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("keys", keys);
            byte[] json = JSON.writeValueAsBytes(document);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
            return new PublishedKeySet(json, etag, kids);
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot render the JWKS", e);
        }
    }

    @Override
    public boolean ready() {
        return ring.loaded() && fence.valid() && ring.activeAt(Instant.now()).isPresent();
    }

    private double activeKeyAgeSeconds() {
        Instant now = Instant.now();
        return ring.activeAt(now).map(k -> (double) Duration.between(k.timeline().activateAt(), now).toSeconds())
                .orElse(Double.NaN);
    }

    private double secondsToNextRotation() {
        Instant now = Instant.now();
        Optional<RingKey> pending = ring.pendingAt(now);
        if (pending.isPresent()) {
            return Duration.between(now, pending.get().timeline().activateAt()).toSeconds();
        }
        return ring.activeAt(now)
                .map(k -> (double) Duration.between(now, k.timeline().activateAt().plus(config.rotationPeriod())).toSeconds())
                .orElse(Double.NaN);
    }

    private record LoadedRows(long version, List<SigningKeyEntity> rows) {
    }

    private record CachedKeySet(long version, PublishedKeySet set) {
    }

}
