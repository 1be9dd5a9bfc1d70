package dev.keyless.issuer;

import io.smallrye.config.ConfigMapping;

/**
 * The service credential shared with context-service: it presents it on the internal token endpoint, and the
 * issuer presents it when asking context-service which contexts a job may use.
 */
@ConfigMapping(prefix = "keyless.internal-api")
public interface InternalApiConfig {

    /** Shared secret, sent and compared in constant time as {@code X-Keyless-Service-Token}. */
    String token();
}
