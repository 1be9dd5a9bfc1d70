package dev.keyless.scheduler.security;

import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks the executor token in constant time (digests first, so the comparison does not leak the length). */
@ApplicationScoped
public class ExecutorAuthenticator {

    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    public ExecutorAuthenticator(SchedulerConfig config) {
        this.expected = sha256(config.executorToken());
    }

    /** @throws ProblemException 401 when the header does not carry the configured executor token */
    public void authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ProblemException.unauthorized("an executor token is required (Authorization: Bearer)");
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        if (!MessageDigest.isEqual(expected, presented)) {
            throw ProblemException.unauthorized("the executor token is not valid");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
