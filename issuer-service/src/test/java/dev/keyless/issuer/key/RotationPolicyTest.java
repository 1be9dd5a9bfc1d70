package dev.keyless.issuer.key;

import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;
import dev.keyless.issuer.key.service.RotationPolicy;
import dev.keyless.issuer.key.service.RotationPolicy.Candidate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RotationPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final RotationPolicy policy = new RotationPolicy(Duration.ofDays(7), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofMinutes(10));

    private static Candidate active(Instant since) {
        return new Candidate("a", new KeyTimeline(since, null, null, null), true);
    }

    @Test
    void emptyRingGetsAKeyThatSignsAtOnce() {
        assertEquals(Optional.of(T0), policy.newKeyActivation(List.of(), T0));
    }

    @Test
    void youngActiveKeyNeedsNoSuccessor() {
        assertEquals(Optional.empty(), policy.newKeyActivation(List.of(active(T0)), T0.plus(Duration.ofDays(6))));
    }

    @Test
    void successorIsPublishedAheadOfTheEndOfThePeriod() {
        Instant now = T0.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(15));
        assertEquals(Optional.of(T0.plus(Duration.ofDays(7))), policy.newKeyActivation(List.of(active(T0)), now));
    }

    @Test
    void overdueRotationStillPublishesAheadBeforeSigning() {
        Instant now = T0.plus(Duration.ofDays(30));
        assertEquals(Optional.of(now.plus(Duration.ofMinutes(15))), policy.newKeyActivation(List.of(active(T0)), now));
    }

    @Test
    void scheduledSuccessorMeansNothingToDo() {
        Instant now = T0.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(5));
        Candidate pending = new Candidate("b", new KeyTimeline(T0.plus(Duration.ofDays(7)), null, null, null), true);
        Candidate current = new Candidate("a", new KeyTimeline(T0, T0.plus(Duration.ofDays(7)), null, null), true);
        assertEquals(Optional.empty(), policy.newKeyActivation(List.of(current, pending), now));
    }

    @Test
    void activeKeyThisReplicaCannotOpenIsReplacedAtOnce() {
        Candidate foreign = new Candidate("a", new KeyTimeline(T0, null, null, null), false);
        assertEquals(Optional.of(T0.plusSeconds(5)), policy.newKeyActivation(List.of(foreign), T0.plusSeconds(5)));
    }

    @Test
    void retiredKeyStaysPublishedUntilItsLastTokenExpiredPlusTheMargin() {
        Instant deactivate = T0.plus(Duration.ofDays(7));
        assertEquals(deactivate.plus(Duration.ofMinutes(70)), policy.unpublishAt(deactivate));
    }

    @Test
    void stateFollowsFromTheTimeline() {
        KeyTimeline timeline = new KeyTimeline(T0, T0.plusSeconds(100), T0.plusSeconds(200), null);
        assertEquals(KeyState.PENDING, timeline.stateAt(T0.minusSeconds(1)));
        assertEquals(KeyState.ACTIVE, timeline.stateAt(T0));
        assertEquals(KeyState.RETIRING, timeline.stateAt(T0.plusSeconds(100)));
        assertEquals(KeyState.GONE, timeline.stateAt(T0.plusSeconds(200)));
        assertEquals(KeyState.REVOKED, new KeyTimeline(T0, null, null, T0.plusSeconds(1)).stateAt(T0.plusSeconds(50)));
        assertEquals(KeyState.ACTIVE, new KeyTimeline(T0, null, null, null).stateAt(T0.plus(Duration.ofDays(999))));
    }
}
