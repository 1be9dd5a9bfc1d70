package dev.keyless.messaging.outbox;

import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Records events to publish. Call it inside the transaction of the change the event reports: the row and the
 * event commit together or not at all, and {@link OutboxRelay} publishes them afterwards. The write also queues a
 * PostgreSQL {@code NOTIFY}, which the server delivers when (and only if) the transaction commits: that commit wakes
 * the relay of every replica listening, this one included, so the event leaves within milliseconds.
 */
@ApplicationScoped
@IfBuildProperty(name = "keyless.outbox.enabled", stringValue = "true", enableIfMissing = true)
public class Outbox {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private final String notify;

    public Outbox(OutboxConfig config) {
        this.notify = "NOTIFY " + OutboxRelay.channelIdentifier(config.notifyChannel());
    }

    public Uni<Void> enqueue(JobEvent event) {
        OutboxMessage message = new OutboxMessage();
        message.eventId = event.eventId();
        message.topic = event.topic();
        message.messageKey = event.jobId().toString();
        message.eventType = event.getClass().getSimpleName();
        message.payload = JobEventCodec.encode(event);
        message.createdAt = Instant.now();
        // the relay publishes later, outside this request: keep its trace so the event stays in it
        Map<String, String> trace = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), trace, Map::put);
        message.traceparent = trace.get(TRACEPARENT);
        message.tracestate = trace.get(TRACESTATE);
        // PostgreSQL folds identical notifications of one transaction into one, so several events cost one wake-up
        return message.persist()
                .chain(() -> Panache.getSession())
                .chain(session -> session.createNativeQuery(notify).executeUpdate())
                .replaceWithVoid();
    }
}
