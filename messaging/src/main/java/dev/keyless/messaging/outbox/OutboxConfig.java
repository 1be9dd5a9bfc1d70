package dev.keyless.messaging.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Tuning of the outbox relay. A commit that wrote outbox rows wakes the relay through PostgreSQL
 * {@code NOTIFY}; besides, a sweep runs every {@code keyless.outbox.poll-interval} (default 10s) after
 * {@code keyless.outbox.initial-delay} (default 3s) as the safety net for a missed notification or rows a crash left.
 */
@ConfigMapping(prefix = "keyless.outbox")
public interface OutboxConfig {

    /** Period of the safety-net sweep (read by the relay's schedule; listed here so the setting is known). */
    @WithDefault("10s")
    Duration pollInterval();

    /** Wait before the relay's first run, while the Kafka channel is wired; wake-ups before it are left to it. */
    @WithDefault("3s")
    Duration initialDelay();

    /** Most events published per relay run; a full batch makes the relay run again at once. */
    @WithDefault("200")
    int batchSize();

    /** How long the relay waits for the broker to acknowledge one event before it retries the batch later. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Wait before the relay tries again after a run in which an event was not acknowledged or the database failed. */
    @WithDefault("1s")
    Duration retryDelay();

    /**
     * PostgreSQL channel an outbox write notifies and the relay listens on (an SQL identifier). Replicas of one
     * service share it; services sharing a database may too (a foreign wake-up costs one empty run).
     */
    @WithDefault("keyless_outbox")
    String notifyChannel();
}
