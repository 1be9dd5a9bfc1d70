package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Plans every change of the key ring (upkeep, admin rotation, emergency revoke) as new timelines. Pure, so the
 * lifecycle rules are unit-tested; {@link KeyRingService} only applies a plan under the ring's advisory lock.
 * <p>
 * The ring keeps, at all times, an active key and a standby: a key published but not signing, so that a
 * rotation or an emergency revoke hands signing to a key relying parties already hold. When the standby's
 * activation comes within the publish-ahead, the next standby is published, so the ring is never without one
 * across a rotation.
 */
public final class RingPlanner {

    /**
     * A key as the planner sees it (revoked and untrusted rows are left out by the caller).
     *
     * @param publishedSince when it entered the JWKS (its creation)
     * @param usable         this replica can sign with it
     */
    public record Key(String kid, KeyTimeline timeline, Instant publishedSince, boolean usable) {}

    /**
     * The row an emergency revoke names, as stored.
     *
     * @param revoked it was revoked before
     * @param trusted its KEK binding holds (an untrusted row was never published nor used)
     */
    public record Target(String kid, boolean revoked, boolean trusted) {}

    /**
     * @param changed   new timelines of existing keys, by kid
     * @param created   timelines of keys to create, in chain order
     * @param discarded untrusted rows to mark revoked and strip of their private part; they stay unbound
     */
    public record Plan(Map<String, KeyTimeline> changed, List<KeyTimeline> created, Set<String> discarded) {

        static final Plan NONE = new Plan(Map.of(), List.of(), Set.of());

        public boolean empty() {
            return changed.isEmpty() && created.isEmpty() && discarded.isEmpty();
        }

        /** Whether the ring the replicas load changes (a discarded row was never part of it). */
        public boolean movesRing() {
            return !changed.isEmpty() || !created.isEmpty();
        }

        /**
         * The activation of the key taking over after a rotation of {@code keys}: the earliest one whose
         * activation this plan brought forward or set.
         */
        public Instant takeover(Collection<Key> keys) {
            Stream<Instant> movedUp = keys.stream()
                    .filter(k -> changed.containsKey(k.kid())
                            && changed.get(k.kid())
                                    .activateAt()
                                    .isBefore(k.timeline().activateAt()))
                    .map(k -> changed.get(k.kid()).activateAt());
            return Stream.concat(movedUp, created.stream().map(KeyTimeline::activateAt))
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
        }
    }

    private final RotationPolicy policy;

    public RingPlanner(RotationPolicy policy) {
        this.policy = policy;
    }

    /** Upkeep: a key signs (first start, or the active one cannot sign here) and a standby is published. */
    public Plan maintain(Collection<Key> keys, Instant now) {
        Work work = new Work(keys, now);
        work.ensureSigner();
        work.ensureStandby();
        return work.plan();
    }

    /**
     * Admin rotation: the standby signs as soon as it has been published for the publish-ahead (at once when it
     * already has), and a new standby is published.
     *
     * @throws RotationPendingException when the standby already takes over as early as that
     */
    public Plan rotate(Collection<Key> keys, Instant now) {
        Work work = new Work(keys, now);
        work.ensureSigner();
        work.ensureStandby();
        Entry standby = work.standby().orElseThrow();
        Instant at = max(now, standby.publishedSince.plus(policy.publishAhead()));
        if (!at.isBefore(standby.timeline.activateAt())) {
            throw new RotationPendingException(standby.kid == null ? "(new)" : standby.kid);
        }
        work.activate(standby, at);
        work.ensureStandby();
        return work.plan();
    }

    /**
     * Emergency revoke: the key is revoked now. When it was signing, the standby (already published) signs at
     * once; a new standby is published. When it was the standby, its predecessor signs on until the next one.
     *
     * @throws KeyNotFoundException when {@code kid} is not among {@code keys}
     */
    public Plan revoke(Collection<Key> keys, String kid, Instant now) {
        Work work = new Work(keys, now);
        Entry target = work.entries.stream()
                .filter(e -> e.kid.equals(kid))
                .findFirst()
                .orElseThrow(() -> new KeyNotFoundException(kid));
        KeyState state = target.timeline.stateAt(now);
        target.timeline = new KeyTimeline(
                target.timeline.activateAt(), target.timeline.deactivateAt(), target.timeline.unpublishAt(), now);
        if (state == KeyState.PENDING) {
            work.relink(target.timeline.activateAt());
        } else if (state == KeyState.ACTIVE) {
            work.standby().ifPresent(standby -> work.activate(standby, now));
        }
        work.ensureSigner();
        work.ensureStandby();
        return work.plan();
    }

    /**
     * Emergency revoke of a stored row: nothing when it was revoked before; for an untrusted row, only the
     * operator's verdict and the loss of its private part; otherwise {@link #revoke(Collection, String, Instant)}.
     */
    public Plan revoke(Collection<Key> keys, Target target, Instant now) {
        if (target.revoked()) {
            return Plan.NONE;
        }
        if (!target.trusted()) {
            return new Plan(Map.of(), List.of(), Set.of(target.kid()));
        }
        return revoke(keys, target.kid(), now);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static final class Entry {
        final String kid;
        final KeyTimeline original;
        final Instant publishedSince;
        final boolean usable;
        KeyTimeline timeline;

        Entry(String kid, KeyTimeline timeline, Instant publishedSince, boolean usable) {
            this.kid = kid;
            this.original = timeline;
            this.timeline = timeline;
            this.publishedSince = publishedSince;
            this.usable = usable;
        }

        boolean live() {
            return timeline.revokedAt() == null;
        }
    }

    /** The ring being planned: existing keys plus the ones to create (kid null). */
    private final class Work {
        final List<Entry> entries = new ArrayList<>();
        final Instant now;

        Work(Collection<Key> keys, Instant now) {
            this.now = now;
            keys.forEach(k -> entries.add(new Entry(k.kid(), k.timeline(), k.publishedSince(), k.usable())));
        }

        Optional<Entry> signer() {
            return entries.stream()
                    .filter(e -> e.live() && e.usable && e.timeline.stateAt(now) == KeyState.ACTIVE)
                    .max(Comparator.comparing(e -> e.timeline.activateAt()));
        }

        /** The next key to sign: the earliest usable pending one. */
        Optional<Entry> standby() {
            return pending().stream().findFirst();
        }

        List<Entry> pending() {
            return entries.stream()
                    .filter(e -> e.live() && e.usable && e.timeline.stateAt(now) == KeyState.PENDING)
                    .sorted(Comparator.comparing(e -> e.timeline.activateAt()))
                    .toList();
        }

        void ensureSigner() {
            if (signer().isPresent()) {
                return;
            }
            Optional<Entry> standby = standby();
            if (standby.isPresent()) {
                activate(standby.get(), now);
            } else {
                append(now);
            }
        }

        void ensureStandby() {
            List<Entry> pending = pending();
            Instant tip = entries.stream()
                    .filter(Entry::live)
                    .map(e -> e.timeline.activateAt())
                    .max(Comparator.naturalOrder())
                    .orElse(now);
            Instant earliest = now.plus(policy.publishAhead());
            if (pending.isEmpty()) {
                append(max(tip.plus(policy.rotationPeriod()), earliest));
                return;
            }
            Instant last = pending.get(pending.size() - 1).timeline.activateAt();
            // the standby about to sign gets its own standby published a publish-ahead before it takes over
            if (!now.isBefore(last.minus(policy.publishAhead()))) {
                append(max(tip.plus(policy.rotationPeriod()), earliest));
            }
        }

        /** {@code key} signs from {@code at}; every live key signing past {@code at} before it stops then. */
        void activate(Entry key, Instant at) {
            for (Entry e : entries) {
                if (e != key
                        && e.live()
                        && e.timeline.activateAt().isBefore(at)
                        && (e.timeline.deactivateAt() == null
                                || e.timeline.deactivateAt().isAfter(at))) {
                    e.timeline = new KeyTimeline(e.timeline.activateAt(), at, policy.unpublishAt(at), null);
                }
            }
            key.timeline = new KeyTimeline(at, key.timeline.deactivateAt(), key.timeline.unpublishAt(), null);
        }

        /** A new key signing from {@code at}, after the current tip of the chain. */
        void append(Instant at) {
            for (Entry e : entries) {
                if (e.live() && e.timeline.deactivateAt() == null) {
                    e.timeline = new KeyTimeline(e.timeline.activateAt(), at, policy.unpublishAt(at), null);
                }
            }
            entries.add(new Entry(null, new KeyTimeline(at, null, null, null), now, true));
        }

        /** A revoked pending key leaves a gap: the key before it signs until the key after it, or on. */
        void relink(Instant gapStart) {
            Optional<Instant> next = entries.stream()
                    .filter(e -> e.live() && e.timeline.activateAt().isAfter(gapStart))
                    .map(e -> e.timeline.activateAt())
                    .min(Comparator.naturalOrder());
            for (Entry e : entries) {
                if (e.live() && gapStart.equals(e.timeline.deactivateAt())) {
                    e.timeline = new KeyTimeline(
                            e.timeline.activateAt(),
                            next.orElse(null),
                            next.map(policy::unpublishAt).orElse(null),
                            null);
                }
            }
        }

        Plan plan() {
            Map<String, KeyTimeline> changed = new LinkedHashMap<>();
            List<KeyTimeline> created = new ArrayList<>();
            for (Entry e : entries) {
                if (e.kid == null) {
                    created.add(e.timeline);
                } else if (!e.timeline.equals(e.original)) {
                    changed.put(e.kid, e.timeline);
                }
            }
            return new Plan(changed, created, Set.of());
        }
    }
}
