package dev.keyless.context.encryption.service;

import dev.keyless.context.config.ContextConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the {@link KeyRing} eagerly so that a service without a usable KEK fails at start, not at first use. */
public class KeyRingProducer {

    @Produces
    @Singleton
    @Startup
    KeyRing keyRing(ContextConfig config) {
        return KeyRing.from(config);
    }
}
