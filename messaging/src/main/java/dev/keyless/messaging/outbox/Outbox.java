package dev.keyless.messaging.outbox;

import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Records events to publish. Call it inside the transaction of the change the event reports: the row and the
 * event commit together or not at all, and {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
@IfBuildProperty(name = "keyless.outbox.enabled", stringValue = "true", enableIfMissing = true)
public class Outbox {

    public Uni<Void> enqueue(JobEvent event) {
        OutboxMessage message = new OutboxMessage();
        message.eventId = event.eventId();
        message.topic = event.topic();
        message.messageKey = event.jobId().toString();
        message.eventType = event.getClass().getSimpleName();
        message.payload = JobEventCodec.encode(event);
        message.createdAt = Instant.now();
        return message.persist().replaceWithVoid();
    }
}
