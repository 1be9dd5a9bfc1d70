package dev.keyless.messaging.inbox;

import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Function;

/**
 * Idempotent consumption of job events: the event id is recorded in the same transaction as the consumer's
 * effect, so a redelivered event (at-least-once Kafka, a consumer restart before its offset commit) is applied
 * once. Return the {@code Uni} from an {@code @Incoming} method: the record is acknowledged after the transaction
 * commits.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    /**
     * Decodes {@code payload} and applies {@code handler} once per event id for {@code consumer}, in one
     * transaction. An unreadable record is logged (by offset-free description, never its payload) and skipped.
     */
    public Uni<Void> process(String consumer, String payload, Function<JobEvent, Uni<Void>> handler) {
        JobEvent event;
        try {
            event = JobEventCodec.decode(payload);
        } catch (JobEventCodec.UnreadableEventException e) {
            LOG.errorf("%s skipped an unreadable job event: %s", consumer, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(
                        () -> recordFirstDelivery(consumer, event).chain(first -> {
                            if (!first) {
                                LOG.debugf(
                                        "%s ignored redelivered %s %s",
                                        consumer, event.getClass().getSimpleName(), event.eventId());
                                return Uni.createFrom().voidItem();
                            }
                            return handler.apply(event);
                        }))
                // a database or broker hiccup: try again in a fresh transaction before giving the record up
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .atMost(8);
    }

    private Uni<Boolean> recordFirstDelivery(String consumer, JobEvent event) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                """
                                insert into processed_event (consumer, event_id, event_type)
                                values (:consumer, :eventId, :eventType)
                                on conflict do nothing""")
                        .setParameter("consumer", consumer)
                        .setParameter("eventId", event.eventId())
                        .setParameter("eventType", event.getClass().getSimpleName())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
