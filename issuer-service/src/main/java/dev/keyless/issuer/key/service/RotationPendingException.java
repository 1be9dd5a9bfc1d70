package dev.keyless.issuer.key.service;

import dev.keyless.problem.ProblemException;

/** A rotation was asked while a successor key is already published and waiting to sign: 409. */
public class RotationPendingException extends ProblemException {

    public RotationPendingException(String kid) {
        super(409, "key " + kid + " is already published and takes over at its activation time");
    }
}
