package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;

import java.security.PublicKey;
import java.time.Instant;

/**
 * One key of a loaded ring. {@code publicKey} is parsed from the published JWK (what relying parties verify
 * with); {@code signer} is null when this replica cannot open the sealed private key or it was destroyed.
 */
record RingKey(
        String kid,
        SigningAlgorithm algorithm,
        KeyTimeline timeline,
        Instant createdAt,
        String publicJwkJson,
        PublicKey publicKey,
        SigningKey signer) {

    KeyState stateAt(Instant now) {
        return timeline.stateAt(now);
    }
}
