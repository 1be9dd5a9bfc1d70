package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.model.KeyState;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** An immutable snapshot of the key ring as of {@link #version()}; states are evaluated at the instant asked. */
final class KeyRing {

    static final KeyRing EMPTY = new KeyRing(-1, List.of());

    private final long version;
    /** Newest activation first. */
    private final List<RingKey> keys;

    KeyRing(long version, List<RingKey> keys) {
        this.version = version;
        this.keys = keys.stream()
                .sorted(Comparator.comparing((RingKey k) -> k.timeline().activateAt())
                        .reversed())
                .toList();
    }

    long version() {
        return version;
    }

    boolean loaded() {
        return version >= 0;
    }

    /** The active key this replica can sign with: the most recently activated one. */
    Optional<RingKey> activeAt(Instant now) {
        return keys.stream()
                .filter(k -> k.stateAt(now) == KeyState.ACTIVE && k.signer() != null)
                .findFirst();
    }

    Optional<SigningKey> signerAt(Instant now) {
        return activeAt(now).map(RingKey::signer);
    }

    /** The keys a relying party sees: pending, active and retiring, newest first. */
    List<RingKey> publishedAt(Instant now) {
        return keys.stream().filter(k -> k.stateAt(now).published()).toList();
    }

    Optional<RingKey> published(String kid, Instant now) {
        return keys.stream()
                .filter(k -> k.kid().equals(kid) && k.stateAt(now).published())
                .findFirst();
    }

    /** The pending key due to take over next, if a rotation is scheduled. */
    Optional<RingKey> pendingAt(Instant now) {
        return keys.stream().filter(k -> k.stateAt(now) == KeyState.PENDING).findFirst();
    }

    /** Seconds since the active key started signing; NaN when none signs. */
    double activeAgeSeconds(Instant now) {
        return activeAt(now)
                .map(k -> (double)
                        Duration.between(k.timeline().activateAt(), now).toSeconds())
                .orElse(Double.NaN);
    }

    /** Seconds until the next key signs: the pending one's activation, else a period after the active one's. */
    double secondsToNextRotation(Instant now, Duration rotationPeriod) {
        Optional<RingKey> pending = pendingAt(now);
        if (pending.isPresent()) {
            return Duration.between(now, pending.get().timeline().activateAt()).toSeconds();
        }
        return activeAt(now)
                .map(k ->
                        (double) Duration.between(now, k.timeline().activateAt().plus(rotationPeriod))
                                .toSeconds())
                .orElse(Double.NaN);
    }
}
