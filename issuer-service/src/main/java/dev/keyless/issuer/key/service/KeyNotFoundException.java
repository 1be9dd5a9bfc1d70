package dev.keyless.issuer.key.service;

import dev.keyless.problem.ProblemException;

/** An admin named a kid the ring does not hold: 404. */
public class KeyNotFoundException extends ProblemException {

    public KeyNotFoundException(String kid) {
        super(404, "no signing key with kid " + kid);
    }
}
