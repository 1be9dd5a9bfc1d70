package dev.keyless.issuer.key.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.issuer.IssuerConfig;
import dev.keyless.issuer.key.crypto.KeySealer;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyRingVersion;
import dev.keyless.issuer.key.model.SigningKeyEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The key ring: PostgreSQL holds the keys (private parts sealed under the KEK), every replica keeps a snapshot
 * in memory and reloads it when the ring version moves. Creating a key (first start, scheduled rotation,
 * admin rotate, emergency revoke) happens under a PostgreSQL advisory lock, so one replica acts at a time.
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
    private final KeySealer sealer;
    private volatile KeyRing ring = KeyRing.EMPTY;
    private final AtomicReference<CachedKeySet> keySet = new AtomicReference<>();

    public KeyRingService(IssuerConfig config, MeterRegistry registry) {
        this.config = config.keys();
        this.algorithm = SigningAlgorithm.parse(this.config.algorithm());
        if (this.config.publishAhead().compareTo(this.config.jwksMaxAge()) <= 0) {
            throw new IllegalStateException("keyless.issuer.keys.publish-ahead must be longer than "
                    + "keyless.issuer.keys.jwks-max-age, or relying parties with a cached JWKS reject new tokens");
        }
        if (this.config.rsaKeySize() < 2048) {
            throw new IllegalStateException("keyless.issuer.keys.rsa-key-size must be 2048 or more");
        }
        Duration longestToken = config.tokenLifetime().compareTo(config.onDemand().maxTtl()) >= 0
                ? config.tokenLifetime() : config.onDemand().maxTtl();
        this.policy = new RotationPolicy(this.config.rotationPeriod(), this.config.publishAhead(), longestToken,
                this.config.unpublishMargin());
        this.sealer = sealerFromConfig(this.config);
        Gauge.builder("keyless.issuer.key.active.age", this, s -> s.activeKeyAgeSeconds())
                .description("Seconds since the active signing key started signing").baseUnit("seconds")
                .register(registry);
        Gauge.builder("keyless.issuer.key.next.rotation", this, s -> s.secondsToNextRotation())
                .description("Seconds until the next key starts signing").baseUnit("seconds")
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

    /** The service takes no traffic before it can sign: load the ring (creating the first key) at start. */
    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> maintain().chain(this::reload));
        Optional<RingKey> active = ring.activeAt(Instant.now());
        LOG.infof("key ring version %d loaded; active key %s", ring.version(),
                active.map(RingKey::kid).orElse("none"));
    }

    @Scheduled(every = "${keyless.issuer.keys.ring-poll-interval:2s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pollRingVersion() {
        return currentVersion()
                .chain(version -> version == ring.version() ? Uni.createFrom().voidItem() : reload())
                .onFailure().invoke(f -> LOG.warnf("key ring poll failed: %s", f.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    @Scheduled(every = "${keyless.issuer.keys.rotation-check-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rotationCheck() {
        return maintain()
                .chain(this::destroyUnusedPrivateKeys)
                .onFailure().invoke(f -> LOG.warnf("key rotation check failed: %s", f.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Creates the next key when the policy says so; only the replica holding the advisory lock acts. */
    Uni<Void> maintain() {
        Instant now = Instant.now();
        if (ring.loaded() && policy.newKeyActivation(candidates(ring), now).isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return generateKey().chain(fresh -> Panache.withTransaction(() -> tryLock()
                .chain(locked -> !locked ? Uni.createFrom().voidItem() : allKeys().chain(rows -> {
                    Instant at = Instant.now();
                    Optional<Instant> activation = policy.newKeyActivation(candidates(rows), at);
                    if (activation.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return addKey(rows, fresh, activation.get(), at).replaceWithVoid();
                })))).chain(this::reload);
    }

    /** Admin rotation: a new key published now that starts signing after the publish-ahead. */
    public Uni<KeyView> rotateNow() {
        return generateKey().chain(fresh -> Panache.withTransaction(() -> lock().chain(this::allKeys).chain(rows -> {
            Instant now = Instant.now();
            Optional<SigningKeyEntity> pending = rows.stream()
                    .filter(r -> r.timeline().stateAt(now) == KeyState.PENDING).findFirst();
            if (pending.isPresent()) {
                return Uni.createFrom().failure(new RotationPendingException(pending.get().kid));
            }
            boolean canSign = candidates(rows).stream()
                    .anyMatch(c -> c.usable() && c.timeline().stateAt(now) == KeyState.ACTIVE);
            return addKey(rows, fresh, canSign ? now.plus(config.publishAhead()) : now, now);
        }))).call(this::reload).map(entity -> KeyView.of(entity, Instant.now()));
    }

    /**
     * Emergency revoke: the key leaves the JWKS at once and its private part is destroyed. When it was signing,
     * a published successor takes over now, or a new key signs at once (relying parties fetch it on the unknown
     * kid).
     */
    public Uni<KeyView> revoke(String kid) {
        return generateKey().chain(spare -> Panache.withTransaction(() -> lock().chain(this::allKeys).chain(rows -> {
            Instant now = Instant.now();
            SigningKeyEntity target = rows.stream().filter(r -> r.kid.equals(kid)).findFirst().orElse(null);
            if (target == null) {
                return Uni.createFrom().failure(new KeyNotFoundException(kid));
            }
            if (target.revokedAt != null) {
                return Uni.createFrom().item(target);
            }
            KeyState state = target.timeline().stateAt(now);
            target.revokedAt = now;
            target.sealedPrivateKey = null;
            List<SigningKeyEntity> others = rows.stream().filter(r -> r.revokedAt == null && r != target).toList();
            Uni<?> followUp = Uni.createFrom().voidItem();
            if (state == KeyState.PENDING) {
                // the key it was to replace keeps signing
                others.stream().filter(r -> target.activateAt.equals(r.deactivateAt)).forEach(r -> {
                    r.deactivateAt = null;
                    r.unpublishAt = null;
                });
            } else if (state == KeyState.ACTIVE) {
                Optional<SigningKeyEntity> successor = others.stream()
                        .filter(r -> r.timeline().stateAt(now) == KeyState.PENDING)
                        .min(Comparator.comparing(r -> r.activateAt));
                if (successor.isPresent() && usable(successor.get())) {
                    successor.get().activateAt = now;
                } else {
                    followUp = addKey(others, spare, now, now);
                }
            }
            return followUp.chain(this::bumpVersion).replaceWith(target);
        }))).call(this::reload).map(entity -> KeyView.of(entity, Instant.now()));
    }

    /** Every key, newest first, for the admin listing. */
    public Uni<List<KeyView>> list() {
        Instant now = Instant.now();
        return Panache.withSession(() -> SigningKeyEntity.<SigningKeyEntity>list("order by activateAt desc"))
                .map(rows -> rows.stream().map(r -> KeyView.of(r, now)).toList());
    }

    private Uni<SigningKeyEntity> addKey(List<SigningKeyEntity> rows, SigningKey fresh, Instant activateAt, Instant now) {
        // the current tip of the chain stops signing when the new key starts
        rows.stream().filter(r -> r.revokedAt == null && r.deactivateAt == null).forEach(r -> {
            r.deactivateAt = activateAt;
            r.unpublishAt = policy.unpublishAt(activateAt);
        });
        SigningKeyEntity entity = new SigningKeyEntity();
        entity.kid = fresh.kid();
        entity.algorithm = fresh.algorithm().name();
        entity.publicJwk = fresh.publicJwkJson();
        entity.sealedPrivateKey = sealer.seal(fresh);
        entity.kekId = sealer.kekId();
        entity.createdAt = now;
        entity.activateAt = activateAt;
        LOG.infof("signing key %s (%s) created; signs from %s", entity.kid, entity.algorithm, activateAt);
        return entity.persist().chain(this::bumpVersion).replaceWith(entity);
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
                .chain(loaded -> VertxContextSupport.executeBlocking(() -> new KeyRing(loaded.version(),
                        loaded.rows().stream().map(this::toRingKey).flatMap(Optional::stream).toList())))
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
        return Optional.of(new RingKey(row.kid, rowAlgorithm, row.timeline(), row.publicJwk, publicKey, signer));
    }

    private boolean usable(SigningKeyEntity row) {
        return row.sealedPrivateKey != null && sealer.kekId().equals(row.kekId);
    }

    private List<RotationPolicy.Candidate> candidates(List<SigningKeyEntity> rows) {
        return rows.stream().filter(r -> r.revokedAt == null)
                .map(r -> new RotationPolicy.Candidate(r.kid, r.timeline(), usable(r))).toList();
    }

    private static List<RotationPolicy.Candidate> candidates(KeyRing snapshot) {
        Instant now = Instant.now();
        List<RotationPolicy.Candidate> result = new ArrayList<>();
        for (RingKey key : snapshot.publishedAt(now)) {
            result.add(new RotationPolicy.Candidate(key.kid(), key.timeline(), key.signer() != null));
        }
        return result;
    }

    @Override
    public SigningKey activeKey() {
        return ring.signerAt(Instant.now())
                .orElseThrow(KeyRingUnavailableException::new);
    }

    @Override
    public Optional<PublicKey> publishedKey(String kid) {
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
        return ring.loaded() && ring.activeAt(Instant.now()).isPresent();
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
