package dev.keyless.issuer;

import io.smallrye.config.ConfigMapping;

/** The credential context-service presents on the internal token endpoint. */
@ConfigMapping(prefix = "keyless.internal-api")
public interface InternalApiConfig {

    /** Shared secret, compared in constant time with {@code X-Keyless-Service-Token}. */
    String token();
}
