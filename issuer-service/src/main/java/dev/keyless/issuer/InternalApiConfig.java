package dev.keyless.issuer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The credential context-service presents on the internal token endpoint. */
@ConfigMapping(prefix = "keyless.internal-api")
public interface InternalApiConfig {

    /** Shared secret, compared in constant time with {@code X-Keyless-Service-Token}. */
    String token();

    /**
     * How long a token request for a job whose resolution has not reached the issuer yet waits for that commit
     * (it wakes on it) before answering 503.
     */
    @WithDefault("2s")
    Duration resolutionWait();
}
