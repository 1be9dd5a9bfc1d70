package dev.keyless.issuer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The service credential shared with context-service: it presents it on the internal token endpoint, and the
 * issuer presents it when asking context-service which contexts a job may use.
 */
@ConfigMapping(prefix = "keyless.internal-api")
public interface InternalApiConfig {

    /** Shared secret, sent and compared in constant time as {@code X-Keyless-Service-Token}. */
    String token();

    /**
     * How long a token request for a job whose resolution has not reached the issuer yet waits for that commit
     * (it wakes on it) before answering 503.
     */
    @WithDefault("2s")
    Duration resolutionWait();
}
