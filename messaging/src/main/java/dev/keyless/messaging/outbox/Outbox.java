package dev.keyless.messaging.outbox;

import dev.keyless.events.JobEvent;
import dev.keyless.events.JobEventCodec;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Records events to publish. Call it inside the transaction of the change the event reports: the row and the
 * event commit together or not at all, and {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
@IfBuildProperty(name = "keyless.outbox.enabled", stringValue = "true", enableIfMissing = true)
public class Outbox {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

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
        return message.persist().replaceWithVoid();
    }
}
