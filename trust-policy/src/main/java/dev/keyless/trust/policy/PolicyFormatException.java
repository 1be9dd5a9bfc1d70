package dev.keyless.trust.policy;

/** A policy document the simulator cannot read; the message says what is wrong, for a 400 answer. */
public class PolicyFormatException extends IllegalArgumentException {

    public PolicyFormatException(String message) {
        super(message);
    }
}
