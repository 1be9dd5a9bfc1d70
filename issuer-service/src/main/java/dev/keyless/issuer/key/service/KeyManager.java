package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.crypto.SigningKey;

import java.security.PublicKey;
import java.util.Optional;

/**
 * The signing abstraction the rest of the issuer sees: the key to sign with now and the published key set.
 * Private key material stays inside {@link SigningKey}; nothing else holds it.
 */
public interface KeyManager {

    /**
     * The active signing key.
     *
     * @throws KeyRingUnavailableException when no key can sign (ring not loaded yet)
     */
    SigningKey activeKey();

    /** The published public key with this kid, as a relying party reading the JWKS would see it. */
    Optional<PublicKey> publishedKey(String kid);

    /** The keys the JWKS publishes now, with the ring version they come from. */
    PublishedKeys publishedKeys();

    /** Whether the ring is loaded and a key can sign (readiness). */
    boolean ready();
}
