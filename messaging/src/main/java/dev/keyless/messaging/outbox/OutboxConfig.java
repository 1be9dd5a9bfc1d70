package dev.keyless.messaging.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Tuning of the outbox relay. Its schedule is {@code keyless.outbox.poll-interval} (default 1s, the finest interval
 * the Quarkus scheduler runs) after {@code keyless.outbox.initial-delay} (default 3s).
 */
@ConfigMapping(prefix = "keyless.outbox")
public interface OutboxConfig {

    /** Most events published per relay run. */
    @WithDefault("200")
    int batchSize();

    /** How long the relay waits for the broker to acknowledge one event before it retries the batch later. */
    @WithDefault("10s")
    Duration sendTimeout();
}
