package dev.keyless.issuer.key.service;

import dev.keyless.problem.ProblemException;

import java.util.Map;

/**
 * No key can sign: the ring is not loaded yet or every key is unusable. The service answers 503 with Retry-After;
 * the reason stays internal.
 */
public class KeyRingUnavailableException extends ProblemException {

    public KeyRingUnavailableException() {
        super(503, "Service Unavailable", "no signing key is available yet", null, Map.of("Retry-After", "2"));
    }
}
