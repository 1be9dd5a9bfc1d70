package dev.keyless.executor.api;

import java.util.Optional;

/** A Keyless service answered with an error; the message carries the problem's title and detail, never a secret. */
public class ApiException extends Exception {

    private final int status;
    private final Optional<Long> retryAfterSeconds;

    public ApiException(int status, String message, Optional<Long> retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public Optional<Long> retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** 5xx: the service may answer differently if asked again. */
    public boolean retryable() {
        return status >= 500;
    }
}
