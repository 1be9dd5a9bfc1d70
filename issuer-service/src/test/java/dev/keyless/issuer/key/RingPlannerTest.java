package dev.keyless.issuer.key;

import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;
import dev.keyless.issuer.key.service.KeyNotFoundException;
import dev.keyless.issuer.key.service.RingPlanner;
import dev.keyless.issuer.key.service.RingPlanner.Key;
import dev.keyless.issuer.key.service.RingPlanner.Plan;
import dev.keyless.issuer.key.service.RingPlanner.Target;
import dev.keyless.issuer.key.service.RotationPendingException;
import dev.keyless.issuer.key.service.RotationPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingPlannerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(7);
    private static final Duration AHEAD = Duration.ofMinutes(15);
    private final RotationPolicy policy =
            new RotationPolicy(PERIOD, AHEAD, Duration.ofHours(1), Duration.ofMinutes(10));
    private final RingPlanner planner = new RingPlanner(policy);

    /** Active since T0, standby published at T0 taking over at the end of the period. */
    private static List<Key> activeAndStandby() {
        return List.of(
                new Key(
                        "a",
                        new KeyTimeline(T0, T0.plus(PERIOD), T0.plus(PERIOD).plusSeconds(4200), null),
                        T0,
                        true),
                new Key("s", new KeyTimeline(T0.plus(PERIOD), null, null, null), T0, true));
    }

    @Test
    void emptyRingGetsAKeySigningAtOnceAndAStandbyForTheEndOfItsPeriod() {
        Plan plan = planner.maintain(List.of(), T0);
        assertEquals(
                List.of(
                        new KeyTimeline(T0, T0.plus(PERIOD), policy.unpublishAt(T0.plus(PERIOD)), null),
                        new KeyTimeline(T0.plus(PERIOD), null, null, null)),
                plan.created());
    }

    @Test
    void activeKeyAloneGetsAStandbyAtOnce() {
        Key active = new Key("a", new KeyTimeline(T0, null, null, null), T0, true);
        Plan plan = planner.maintain(List.of(active), T0.plusSeconds(60));
        assertEquals(List.of(new KeyTimeline(T0.plus(PERIOD), null, null, null)), plan.created());
        assertEquals(T0.plus(PERIOD), plan.changed().get("a").deactivateAt());
    }

    @Test
    void ringWithActiveAndStandbyNeedsNothing() {
        assertTrue(planner.maintain(activeAndStandby(), T0.plus(Duration.ofDays(3)))
                .empty());
    }

    @Test
    void nextStandbyIsPublishedAPublishAheadBeforeTheStandbyTakesOver() {
        Instant now = T0.plus(PERIOD).minus(AHEAD);
        Plan plan = planner.maintain(activeAndStandby(), now);
        assertEquals(List.of(new KeyTimeline(T0.plus(PERIOD).plus(PERIOD), null, null, null)), plan.created());
        assertEquals(T0.plus(PERIOD).plus(PERIOD), plan.changed().get("s").deactivateAt());
    }

    @Test
    void overdueRingStillPublishesTheNewStandbyAheadOfItsActivation() {
        Key active = new Key("a", new KeyTimeline(T0, null, null, null), T0, true);
        Instant now = T0.plus(Duration.ofDays(30));
        assertEquals(
                now.plus(AHEAD),
                planner.maintain(List.of(active), now).created().get(0).activateAt());
    }

    @Test
    void activeKeyThisReplicaCannotOpenHandsOverToThePublishedStandby() {
        Key foreign = new Key("a", new KeyTimeline(T0, T0.plus(PERIOD), null, null), T0, false);
        Key standby = new Key("s", new KeyTimeline(T0.plus(PERIOD), null, null, null), T0, true);
        Instant now = T0.plusSeconds(5);
        Plan plan = planner.maintain(List.of(foreign, standby), now);
        assertEquals(now, plan.changed().get("s").activateAt());
        assertEquals(now, plan.changed().get("a").deactivateAt());
        assertEquals(1, plan.created().size(), "a new standby");
    }

    @Test
    void revokingTheActiveKeyPromotesTheStandbyAtOnceAndPublishesANewOne() {
        Instant now = T0.plus(Duration.ofDays(2));
        Plan plan = planner.revoke(activeAndStandby(), "a", now);
        assertEquals(KeyState.REVOKED, plan.changed().get("a").stateAt(now));
        assertEquals(now, plan.changed().get("s").activateAt());
        assertEquals(List.of(new KeyTimeline(now.plus(PERIOD), null, null, null)), plan.created());
        assertEquals(now.plus(PERIOD), plan.changed().get("s").deactivateAt());
    }

    @Test
    void revokingTheStandbyKeepsTheActiveKeySigningUntilANewStandbyTakesOver() {
        Instant now = T0.plus(Duration.ofDays(2));
        Plan plan = planner.revoke(activeAndStandby(), "s", now);
        assertEquals(KeyState.REVOKED, plan.changed().get("s").stateAt(now));
        KeyTimeline fresh = plan.created().get(0);
        assertEquals(T0.plus(PERIOD), fresh.activateAt(), "the new standby takes the revoked one's place");
        assertEquals(
                T0.plus(PERIOD),
                plan.changed()
                        .getOrDefault("a", activeAndStandby().get(0).timeline())
                        .deactivateAt());
    }

    @Test
    void revokingTheActiveKeyWithoutAStandbySignsWithANewKeyAndPublishesAStandby() {
        Key active = new Key("a", new KeyTimeline(T0, null, null, null), T0, true);
        Instant now = T0.plusSeconds(60);
        Plan plan = planner.revoke(List.of(active), "a", now);
        assertEquals(2, plan.created().size());
        assertEquals(now, plan.created().get(0).activateAt());
        assertEquals(now.plus(PERIOD), plan.created().get(1).activateAt());
    }

    @Test
    void revokingARetiringKeyChangesNothingElse() {
        Key retiring = new Key(
                "r", new KeyTimeline(T0.minus(PERIOD), T0, policy.unpublishAt(T0), null), T0.minus(PERIOD), true);
        List<Key> keys = new ArrayList<>(activeAndStandby());
        keys.add(retiring);
        Plan plan = planner.revoke(keys, "r", T0.plusSeconds(60));
        assertEquals(
                Map.of("r", new KeyTimeline(T0.minus(PERIOD), T0, policy.unpublishAt(T0), T0.plusSeconds(60))),
                plan.changed());
        assertTrue(plan.created().isEmpty());
    }

    @Test
    void revokingAnUnknownKidFails() {
        assertThrows(KeyNotFoundException.class, () -> planner.revoke(activeAndStandby(), "x", T0));
    }

    @Test
    void rotationHandsOverToAStandbyPublishedLongEnoughAtOnce() {
        Instant now = T0.plus(Duration.ofDays(2));
        Plan plan = planner.rotate(activeAndStandby(), now);
        assertEquals(now, plan.changed().get("s").activateAt());
        assertEquals(now, plan.changed().get("a").deactivateAt());
        assertEquals(policy.unpublishAt(now), plan.changed().get("a").unpublishAt());
        assertEquals(now.plus(PERIOD), plan.created().get(0).activateAt());
    }

    @Test
    void rotationWaitsUntilAYoungStandbyWasPublishedForThePublishAhead() {
        Instant now = T0.plusSeconds(60);
        Plan plan = planner.rotate(activeAndStandby(), now);
        assertEquals(T0.plus(AHEAD), plan.changed().get("s").activateAt());
        assertEquals(1, plan.created().size(), "the next standby is published a publish-ahead before it is needed");
    }

    @Test
    void secondRotationWhileTheStandbyAlreadyTakesOverAsEarlyAsItCanIsRefused() {
        Instant now = T0.plusSeconds(60);
        List<Key> keys = List.of(
                new Key("a", new KeyTimeline(T0, T0.plus(AHEAD), policy.unpublishAt(T0.plus(AHEAD)), null), T0, true),
                new Key("s", new KeyTimeline(T0.plus(AHEAD), T0.plus(AHEAD).plus(PERIOD), null, null), T0, true),
                new Key("n", new KeyTimeline(T0.plus(AHEAD).plus(PERIOD), null, null, null), now, true));
        assertThrows(RotationPendingException.class, () -> planner.rotate(keys, now));
    }

    @Test
    void noPlanEverLeavesTheRingWithoutAStandby() {
        Instant now = T0.plus(Duration.ofDays(2));
        for (Plan plan : List.of(
                planner.revoke(activeAndStandby(), "a", now),
                planner.revoke(activeAndStandby(), "s", now),
                planner.rotate(activeAndStandby(), now),
                planner.maintain(List.of(), now))) {
            long pending = plan.created().stream()
                            .filter(t -> t.stateAt(now) == KeyState.PENDING)
                            .count()
                    + plan.changed().values().stream()
                            .filter(t -> t.stateAt(now) == KeyState.PENDING)
                            .count();
            assertTrue(pending >= 1, plan.toString());
        }
        assertNull(planner.maintain(List.of(), now).created().get(1).deactivateAt());
    }

    /** Active since T0, a standby for the end of the period, and the key after it already published. */
    private List<Key> activeAndTwoPending() {
        Instant second = T0.plus(PERIOD).plus(PERIOD);
        return List.of(
                new Key("a", new KeyTimeline(T0, T0.plus(PERIOD), policy.unpublishAt(T0.plus(PERIOD)), null), T0, true),
                new Key("s", new KeyTimeline(T0.plus(PERIOD), second, policy.unpublishAt(second), null), T0, true),
                new Key("n", new KeyTimeline(second, null, null, null), T0, true));
    }

    @Test
    void revokingAPendingKeyWithASuccessorHandsItsSlotToTheKeyBeforeItUntilThatSuccessor() {
        Instant now = T0.plus(Duration.ofDays(2));
        Instant second = T0.plus(PERIOD).plus(PERIOD);
        Plan plan = planner.revoke(activeAndTwoPending(), "s", now);
        assertEquals(KeyState.REVOKED, plan.changed().get("s").stateAt(now));
        assertEquals(
                new KeyTimeline(T0, second, policy.unpublishAt(second), null),
                plan.changed().get("a"));
        assertFalse(plan.changed().containsKey("n"), "the successor keeps its slot");
        assertTrue(plan.created().isEmpty(), "the successor is the new standby");
    }

    @Test
    void revokingTheActiveKeyPromotesTheEarliestPendingSuccessorAndKeepsTheLaterOne() {
        Instant now = T0.plus(Duration.ofDays(2));
        Instant second = T0.plus(PERIOD).plus(PERIOD);
        Plan plan = planner.revoke(activeAndTwoPending(), "a", now);
        assertEquals(KeyState.REVOKED, plan.changed().get("a").stateAt(now));
        assertEquals(
                new KeyTimeline(now, second, policy.unpublishAt(second), null),
                plan.changed().get("s"));
        assertFalse(plan.changed().containsKey("n"));
        assertTrue(plan.created().isEmpty());
    }

    @Test
    void revokingTheActiveKeyWhenThisReplicaCannotOpenTheStandbySignsWithANewKeyAtOnce() {
        Key active =
                new Key("a", new KeyTimeline(T0, T0.plus(PERIOD), policy.unpublishAt(T0.plus(PERIOD)), null), T0, true);
        Key foreignStandby = new Key("s", new KeyTimeline(T0.plus(PERIOD), null, null, null), T0, false);
        Instant now = T0.plusSeconds(60);
        Plan plan = planner.revoke(List.of(active, foreignStandby), "a", now);
        assertEquals(now, plan.created().get(0).activateAt(), "a key this replica can sign with");
        assertEquals(T0.plus(PERIOD), plan.changed().get("s").activateAt(), "the unopenable standby is not promoted");
        assertEquals(2, plan.created().size(), "and a standby it can open");
        assertEquals(KeyState.PENDING, plan.created().get(1).stateAt(now));
    }

    @Test
    void revokingAnAlreadyRevokedRowPlansNothing() {
        Plan plan = planner.revoke(activeAndStandby(), new Target("old", true, true), T0);
        assertTrue(plan.empty());
    }

    @Test
    void revokingAnUntrustedRowOnlyDiscardsItAndLeavesTheRingAlone() {
        Plan plan = planner.revoke(activeAndStandby(), new Target("forged", false, false), T0.plusSeconds(60));
        assertEquals(Set.of("forged"), plan.discarded());
        assertTrue(plan.changed().isEmpty());
        assertTrue(plan.created().isEmpty());
        assertFalse(plan.empty());
        assertFalse(plan.movesRing());
    }

    @Test
    void revokingATrustedRowPlansLikeRevokingItsKid() {
        Instant now = T0.plus(Duration.ofDays(2));
        assertEquals(
                planner.revoke(activeAndStandby(), "a", now),
                planner.revoke(activeAndStandby(), new Target("a", false, true), now));
    }

    @Test
    void rotationTakeoverIsThePromotedStandbysNewActivation() {
        Instant now = T0.plus(Duration.ofDays(2));
        assertEquals(now, planner.rotate(activeAndStandby(), now).takeover(activeAndStandby()));
        Instant early = T0.plusSeconds(60);
        assertEquals(T0.plus(AHEAD), planner.rotate(activeAndStandby(), early).takeover(activeAndStandby()));
    }

    @Test
    void rotationOfARingWithoutKeysTakesOverWithTheKeyItCreatesToSignAtOnce() {
        Plan plan = planner.rotate(List.of(), T0);
        assertEquals(T0, plan.takeover(List.of()));
        assertTrue(plan.movesRing());
    }
}
