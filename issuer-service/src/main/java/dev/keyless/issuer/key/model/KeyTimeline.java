package dev.keyless.issuer.key.model;

import java.time.Instant;

/**
 * When a key starts signing, stops signing, leaves the JWKS, or was revoked. The state at any instant follows
 * from these alone, so scheduled transitions need no write and every replica computes the same state.
 */
public record KeyTimeline(Instant activateAt, Instant deactivateAt, Instant unpublishAt, Instant revokedAt) {

    public KeyState stateAt(Instant now) {
        if (revokedAt != null) {
            return KeyState.REVOKED;
        }
        if (now.isBefore(activateAt)) {
            return KeyState.PENDING;
        }
        if (deactivateAt == null || now.isBefore(deactivateAt)) {
            return KeyState.ACTIVE;
        }
        if (unpublishAt != null && now.isBefore(unpublishAt)) {
            return KeyState.RETIRING;
        }
        return KeyState.GONE;
    }
}
