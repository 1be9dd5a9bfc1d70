package dev.keyless.issuer.key.service;

/** No key can sign: the ring is not loaded yet or every key is unusable. The service answers 503. */
public class KeyRingUnavailableException extends RuntimeException {

    public KeyRingUnavailableException(String message) {
        super(message, null, false, false);
    }
}
