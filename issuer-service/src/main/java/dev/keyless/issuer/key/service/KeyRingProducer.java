package dev.keyless.issuer.key.service;

import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.key.crypto.KeySealer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds the key ring's KEK and timing eagerly, so that an issuer without a usable KEK or with key timings that
 * would break relying parties fails at start, not at first use.
 */
public class KeyRingProducer {

    private static final Logger LOG = Logger.getLogger(KeyRingProducer.class);

    @Produces
    @Singleton
    @Startup
    KeySealer keySealer(IssuerConfig config) {
        IssuerConfig.Keys keys = config.keys();
        if (keys.kek().isPresent()) {
            return KeySealer.fromBase64(keys.kek().get());
        }
        if (keys.kekFile().isPresent()) {
            try {
                return KeySealer.fromBase64(
                        Files.readString(Path.of(keys.kekFile().get()), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the key-encryption key file "
                        + keys.kekFile().get());
            }
        }
        if (keys.allowGeneratedKek()) {
            LOG.warn("no key-encryption key configured: using an ephemeral one (dev/test only); keys sealed by "
                    + "earlier runs cannot sign and are replaced");
            return KeySealer.ephemeral();
        }
        throw new IllegalStateException("no key-encryption key: set keyless.issuer.keys.kek-file (a mounted "
                + "secret holding 32 base64 bytes) or keyless.issuer.keys.kek");
    }

    @Produces
    @Singleton
    @Startup
    RotationPolicy rotationPolicy(IssuerConfig config) {
        IssuerConfig.Keys keys = config.keys();
        if (keys.publishAhead().compareTo(keys.jwksMaxAge()) <= 0) {
            throw new IllegalStateException("keyless.issuer.keys.publish-ahead must be longer than "
                    + "keyless.issuer.keys.jwks-max-age, or relying parties with a cached JWKS reject new tokens");
        }
        Duration longestToken =
                config.tokenLifetime().compareTo(config.onDemand().maxTtl()) >= 0
                        ? config.tokenLifetime()
                        : config.onDemand().maxTtl();
        return new RotationPolicy(keys.rotationPeriod(), keys.publishAhead(), longestToken, keys.unpublishMargin());
    }
}
