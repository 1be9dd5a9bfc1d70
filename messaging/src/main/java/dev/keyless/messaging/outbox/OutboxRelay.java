package dev.keyless.messaging.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka in id order, keyed by job id, so one job's events arrive in the order they were
 * written. A PostgreSQL advisory lock lets one replica relay at a time (ordering survives several replicas); a row
 * is marked published only after the broker acknowledged it, so a broker outage delays events and loses none.
 * Delivery is at least once: consumers de-duplicate on the event id. Each record carries the W3C trace context the
 * event was written in, so one trace follows a job across services.
 */
@ApplicationScoped
@IfBuildProperty(name = "keyless.outbox.enabled", stringValue = "true", enableIfMissing = true)
public class OutboxRelay {

    /** Channel that every producing service configures with the Kafka connector. */
    public static final String CHANNEL = "keyless-outbox";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming "the outbox relay" among the service's advisory locks. */
    private static final long RELAY_LOCK = 0x6b65796c6573734cL;

    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean stopping;

    public OutboxRelay(@Channel(CHANNEL) MutinyEmitter<String> emitter, OutboxConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.config = config;
        Gauge.builder("keyless.outbox.backlog", backlog, AtomicLong::get)
                .description("Events written to the outbox and not yet acknowledged by Kafka")
                .register(registry);
    }

    // the initial delay lets the Kafka channel finish wiring the emitter before the first send
    @Scheduled(every = "${keyless.outbox.poll-interval:1s}", delayed = "${keyless.outbox.initial-delay:3s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return publishPending()
                .onFailure().invoke(failure -> LOG.warnf("outbox relay run failed, retrying next run: %s",
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Starts no run once the service is stopping. A run already going on may be cut short, which is safe: a row is
     * marked published only after the broker's ack, so its event is sent again (consumers de-duplicate).
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Publishes what is pending now; returns how many events were acknowledged. */
    public Uni<Integer> publishPending() {
        Context context = Vertx.currentContext();
        Executor backOnContext = context == null ? Infrastructure.getDefaultExecutor()
                : task -> context.runOnContext(ignored -> task.run());
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("select pg_try_advisory_xact_lock(:lock)", Boolean.class)
                        .setParameter("lock", RELAY_LOCK)
                        .getSingleResult())
                .chain(locked -> locked
                        ? OutboxMessage.<OutboxMessage>find("publishedAt is null order by id")
                                .page(0, config.batchSize()).list()
                        : Uni.createFrom().item(List.<OutboxMessage>of()))
                .chain(batch -> publishInOrder(batch, 0, backOnContext))
                .call(() -> OutboxMessage.count("publishedAt is null").invoke(backlog::set)));
    }

    /** Sends one row after another; the first failure stops the batch so a later event never overtakes it. */
    private Uni<Integer> publishInOrder(List<OutboxMessage> batch, int index, Executor backOnContext) {
        if (index == batch.size()) {
            return Uni.createFrom().item(index);
        }
        OutboxMessage message = batch.get(index);
        return send(message)
                .emitOn(backOnContext)
                .onItem().transformToUni(acked -> {
                    message.publishedAt = Instant.now();
                    return publishInOrder(batch, index + 1, backOnContext);
                })
                .onFailure().recoverWithUni(failure -> {
                    message.attempts++;
                    LOG.warnf("outbox event %s (%s) not acknowledged by Kafka, will retry: %s", message.eventId,
                            message.eventType, failure.getClass().getSimpleName());
                    return Uni.createFrom().item(index);
                });
    }

    private Uni<Void> send(OutboxMessage message) {
        List<RecordHeader> headers = new ArrayList<>();
        headers.add(header("event-type", message.eventType));
        Message<String> record = Message.of(message.payload);
        if (message.traceparent != null) {
            headers.add(header(Outbox.TRACEPARENT, message.traceparent));
            if (message.tracestate != null) {
                headers.add(header(Outbox.TRACESTATE, message.tracestate));
            }
            // with tracing on, the connector's producer span joins the stored trace and appends its own traceparent
            // after ours; Kafka readers take the last one, which is in the same trace
            record = record.addMetadata(TracingMetadata.withCurrent(W3CTraceContextPropagator.getInstance()
                    .extract(io.opentelemetry.context.Context.root(), message, STORED_TRACE)));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(message.topic)
                .withKey(message.messageKey)
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(record.addMetadata(metadata))
                .ifNoItem().after(config.sendTimeout()).fail();
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static final TextMapGetter<OutboxMessage> STORED_TRACE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(OutboxMessage message) {
            return List.of(Outbox.TRACEPARENT, Outbox.TRACESTATE);
        }

        @Override
        public String get(OutboxMessage message, String key) {
            if (message == null) {
                return null;
            }
            return switch (key) {
                case Outbox.TRACEPARENT -> message.traceparent;
                case Outbox.TRACESTATE -> message.tracestate;
                default -> null;
            };
        }
    };
}
