package dev.keyless.context.config;

import io.smallrye.config.ConfigMapping;

/** The service credential context-service presents to issuer-service's internal API. */
@ConfigMapping(prefix = "keyless.internal-api")
public interface InternalApiConfig {

    /** Shared secret sent as {@code X-Keyless-Service-Token}; the same property is set on issuer-service. */
    String token();
}
