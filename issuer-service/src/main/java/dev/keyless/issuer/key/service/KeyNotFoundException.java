package dev.keyless.issuer.key.service;

/** An admin named a kid the ring does not hold. */
public class KeyNotFoundException extends RuntimeException {

    public KeyNotFoundException(String kid) {
        super("no signing key with kid " + kid, null, false, false);
    }
}
