package dev.keyless.issuer.key.service;

import java.time.Duration;
import java.time.Instant;

/**
 * The ring's timing parameters, which {@link RingPlanner} plans with.
 *
 * @param rotationPeriod   how long a key signs
 * @param publishAhead     how long a new key is published before it signs (longer than the JWKS max-age)
 * @param maxTokenLifetime the longest lifetime of any token the issuer mints
 * @param unpublishMargin  extra time a retired key stays published after its last token expired
 */
public record RotationPolicy(
        Duration rotationPeriod, Duration publishAhead, Duration maxTokenLifetime, Duration unpublishMargin) {

    /** When a key that stops signing at {@code deactivateAt} may leave the JWKS. */
    public Instant unpublishAt(Instant deactivateAt) {
        return deactivateAt.plus(maxTokenLifetime).plus(unpublishMargin);
    }
}
