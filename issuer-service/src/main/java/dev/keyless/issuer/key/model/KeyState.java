package dev.keyless.issuer.key.model;

/** A signing key's lifecycle: pending → active → retiring → gone, or revoked at any point. */
public enum KeyState {
    /** Published in the JWKS, not yet signing, so relying parties learn it before its first token. */
    PENDING,
    /** Published and signing. */
    ACTIVE,
    /** Published, no longer signing: tokens it signed are still live. */
    RETIRING,
    /** Unpublished after its last token expired plus a margin. */
    GONE,
    /** Dropped from the JWKS at once by an operator (emergency). */
    REVOKED;

    public boolean published() {
        return this == PENDING || this == ACTIVE || this == RETIRING;
    }
}
