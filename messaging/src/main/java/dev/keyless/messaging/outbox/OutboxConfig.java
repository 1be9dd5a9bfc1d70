package dev.keyless.messaging.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Tuning of the outbox relay. The poll interval itself is {@code keyless.outbox.poll-interval} (default 0.2s). */
@ConfigMapping(prefix = "keyless.outbox")
public interface OutboxConfig {

    /** Most events published per relay run. */
    @WithDefault("200")
    int batchSize();

    /** How long the relay waits for the broker to acknowledge one event before it retries the batch later. */
    @WithDefault("10s")
    Duration sendTimeout();
}
