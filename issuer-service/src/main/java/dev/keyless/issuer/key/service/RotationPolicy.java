package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Decides when a new key must be created and when it starts signing. Pure, so the schedule is unit-tested.
 *
 * @param rotationPeriod   how long a key signs
 * @param publishAhead     how long a new key is published before it signs (longer than the JWKS max-age)
 * @param maxTokenLifetime the longest lifetime of any token the issuer mints
 * @param unpublishMargin  extra time a retired key stays published after its last token expired
 */
public record RotationPolicy(Duration rotationPeriod, Duration publishAhead, Duration maxTokenLifetime,
                             Duration unpublishMargin) {

    /** A key as the policy sees it. {@code usable}: this replica can sign with it. */
    public record Candidate(String kid, KeyTimeline timeline, boolean usable) {
    }

    /**
     * When a new key is needed, the instant it should start signing: now when nothing can sign (first start,
     * emergency), otherwise a publish-ahead after now once the active key nears the end of its period.
     */
    public Optional<Instant> newKeyActivation(Collection<Candidate> keys, Instant now) {
        Optional<Candidate> active = keys.stream()
                .filter(k -> k.usable() && k.timeline().stateAt(now) == KeyState.ACTIVE)
                .max(Comparator.comparing(k -> k.timeline().activateAt()));
        if (active.isEmpty()) {
            return Optional.of(now);
        }
        boolean successorScheduled = keys.stream().anyMatch(k -> k.timeline().stateAt(now) == KeyState.PENDING);
        if (successorScheduled) {
            return Optional.empty();
        }
        Instant due = active.get().timeline().activateAt().plus(rotationPeriod);
        if (now.isBefore(due.minus(publishAhead))) {
            return Optional.empty();
        }
        Instant earliest = now.plus(publishAhead);
        return Optional.of(due.isAfter(earliest) ? due : earliest);
    }

    /** When a key that stops signing at {@code deactivateAt} may leave the JWKS. */
    public Instant unpublishAt(Instant deactivateAt) {
        return deactivateAt.plus(maxTokenLifetime).plus(unpublishMargin);
    }
}
