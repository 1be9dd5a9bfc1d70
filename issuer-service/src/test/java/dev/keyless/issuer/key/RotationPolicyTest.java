package dev.keyless.issuer.key;

import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;
import dev.keyless.issuer.key.service.RotationPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RotationPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final RotationPolicy policy =
            new RotationPolicy(Duration.ofDays(7), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofMinutes(10));

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
