package dev.keyless.issuer.key.service;

/** A rotation was asked while a successor key is already published and waiting to sign. */
public class RotationPendingException extends RuntimeException {

    public RotationPendingException(String kid) {
        super("key " + kid + " is already published and takes over at its activation time", null, false, false);
    }
}
