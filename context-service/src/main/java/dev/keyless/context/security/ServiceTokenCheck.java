package dev.keyless.context.security;

import dev.keyless.context.config.InternalApiConfig;
import dev.keyless.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The service credential of internal endpoints ({@code X-Keyless-Service-Token}), compared in constant time. */
@ApplicationScoped
public class ServiceTokenCheck {

    public static final String HEADER = "X-Keyless-Service-Token";

    private final byte[] expected;

    public ServiceTokenCheck(InternalApiConfig config) {
        this.expected = sha256(config.token());
    }

    /** @throws ProblemException 401 unless {@code presented} is the service token */
    public void require(String presented) {
        if (presented == null || !MessageDigest.isEqual(expected, sha256(presented))) {
            throw ProblemException.unauthorized("a valid service token is required");
        }
    }

    /** Digests, so neither the time taken nor an early exit tells a caller the token's length. */
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
