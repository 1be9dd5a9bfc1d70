package dev.keyless.messaging.outbox;

import dev.keyless.messaging.signal.CommitSignals;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Publishes outbox rows to Kafka, keyed by job id, so one job's events arrive in the order they were written.
 *
 * <p>A run starts when a commit that wrote outbox rows notifies the channel (PostgreSQL {@code LISTEN/NOTIFY}, so
 * every replica hears every commit), and from a slow periodic sweep that catches a missed notification or rows a
 * crash left. Runs never overlap in a replica: a wake-up during a run makes one more run after it. A PostgreSQL
 * advisory lock lets one replica relay at a time, so ordering survives several replicas.
 *
 * <p>A run sends its batch pipelined: the first pending event of every job goes out at once, without waiting for
 * the others' acknowledgements (the idempotent producer keeps each partition's order); a job's next event follows
 * its previous one's acknowledgement, so a failed event stops the rest of its job, whatever the failure (even one
 * the producer rejects alone, such as an oversized record), and never lets a later event overtake it. A row is
 * marked published only after the broker acknowledged it, so a broker outage delays events and loses none.
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

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUN_AGAIN = 2;

    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final Pool pool;
    private final Vertx vertx;
    private final CommitSignals signals;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile boolean ready;
    private volatile boolean stopping;

    public OutboxRelay(
            @Channel(CHANNEL) MutinyEmitter<String> emitter,
            OutboxConfig config,
            MeterRegistry registry,
            Pool pool,
            Vertx vertx,
            CommitSignals signals) {
        this.emitter = emitter;
        this.config = config;
        this.pool = pool;
        this.vertx = vertx;
        this.signals = signals;
        channelIdentifier(config.notifyChannel());
        Gauge.builder("keyless.outbox.backlog", backlog, AtomicLong::get)
                .description("Events written to the outbox and not yet acknowledged by Kafka")
                .register(registry);
    }

    /** The configured channel, refused unless it is a plain lower-case SQL identifier (it is spliced into SQL). */
    static String channelIdentifier(String channel) {
        if (!IDENTIFIER.matcher(channel).matches()) {
            throw new IllegalArgumentException("keyless.outbox.notify-channel must be a lower-case SQL identifier");
        }
        return channel;
    }

    /**
     * Listens for the commits of outbox writes, on a connection of its own that reconnects after a drop. Started by
     * the first sweep: the bean cannot be created before the Kafka channel is wired.
     */
    private void listen() {
        signals.onEach(config.notifyChannel(), this::wake);
    }

    /**
     * Starts no run once the service is stopping. A run already going on may be cut short, which is safe: a row is
     * marked published only after the broker's ack, so its event is sent again (consumers de-duplicate).
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    // the initial delay lets the Kafka channel finish wiring the emitter before the first send
    @Scheduled(
            every = "${keyless.outbox.poll-interval:10s}",
            delayed = "${keyless.outbox.initial-delay:3s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        start();
        wake();
    }

    /**
     * Until the relay has started, tries every second: this bean cannot be created before the Kafka channel is
     * wired, which on a busy machine can take longer than the initial delay, and the sweep alone would then leave
     * events waiting a whole sweep period after startup.
     */
    @Scheduled(
            every = "1s",
            delayed = "${keyless.outbox.initial-delay:3s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void startWhenWired() {
        if (!ready) {
            start();
            wake();
        }
    }

    private synchronized void start() {
        if (!ready) {
            ready = true;
            listen();
        }
    }

    /** Asks for a run: starts one now, or one more after the current run. */
    public void wake() {
        if (!ready || stopping) {
            return;
        }
        while (true) {
            int current = state.get();
            if (current == IDLE) {
                if (state.compareAndSet(IDLE, RUNNING)) {
                    run();
                    return;
                }
            } else if (current == RUNNING) {
                if (state.compareAndSet(RUNNING, RUN_AGAIN)) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    private void run() {
        publishRun().subscribe().with(this::finished, failure -> {
            LOG.warnf(
                    "outbox relay run failed, retrying: %s", failure.getClass().getSimpleName());
            finished(Run.failure());
        });
    }

    private void finished(Run run) {
        if (stopping) {
            state.set(IDLE);
            return;
        }
        if (run.failed()) {
            // no immediate rerun while the broker or the database is away: try again after a pause
            state.set(IDLE);
            vertx.setTimer(config.retryDelay().toMillis(), ignored -> wake());
            return;
        }
        // a full batch leaves more behind; a wake-up during the run may have brought more
        if (run.fetched() == config.batchSize() || !state.compareAndSet(RUNNING, IDLE)) {
            state.set(RUNNING);
            run();
        }
    }

    /** Publishes what is pending now; returns how many events were acknowledged. */
    public Uni<Integer> publishPending() {
        return publishRun().map(run -> run.published().size());
    }

    private Uni<Run> publishRun() {
        return pool.withTransaction(connection -> connection
                .preparedQuery("select pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .chain(locked -> locked.iterator().next().getBoolean(0)
                        ? connection
                                .preparedQuery(
                                        """
                                        select id, event_id, topic, message_key, event_type, payload, traceparent,
                                               tracestate
                                        from outbox_message where published_at is null order by id limit $1""")
                                .execute(Tuple.of(config.batchSize()))
                                .map(rows -> {
                                    List<Pending> batch = new ArrayList<>();
                                    rows.forEach(row -> batch.add(Pending.of(row)));
                                    return batch;
                                })
                        : Uni.createFrom().item(List.<Pending>of()))
                .chain(batch -> publish(batch).call(outcome -> record(connection, outcome)))
                .call(run -> updateBacklog(connection, run)));
    }

    /**
     * The backlog gauge: a run that read some rows, fewer than a batch, and published all of them left nothing
     * behind (rows committed since wake the relay again), so it sets none without a count; every other run (empty,
     * full, failed, or another replica holding the relay lock) counts. This spares the hot path a statement per run.
     */
    private Uni<Void> updateBacklog(SqlConnection connection, Run run) {
        if (!run.failed() && run.fetched() > 0 && run.fetched() < config.batchSize()) {
            backlog.set(0);
            return Uni.createFrom().voidItem();
        }
        return connection
                .query("select count(*) from outbox_message where published_at is null")
                .execute()
                .invoke(rows -> backlog.set(rows.iterator().next().getLong(0)))
                .replaceWithVoid();
    }

    /** Sends every job's events, all jobs at once, each job's events one after the other. */
    private Uni<Run> publish(List<Pending> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(new Run(0, List.of(), List.of(), false));
        }
        Map<String, List<Pending>> byJob = new LinkedHashMap<>();
        batch.forEach(message -> byJob.computeIfAbsent(message.messageKey(), key -> new ArrayList<>())
                .add(message));
        List<Uni<JobOutcome>> jobs = new ArrayList<>(byJob.size());
        byJob.values().forEach(events -> jobs.add(sendInOrder(events, 0, new ArrayList<>())));
        return Uni.join().all(jobs).andFailFast().map(outcomes -> {
            List<Long> published = new ArrayList<>();
            List<Long> failed = new ArrayList<>();
            outcomes.forEach(outcome -> {
                published.addAll(outcome.published());
                if (outcome.failed() != null) {
                    failed.add(outcome.failed());
                }
            });
            return new Run(batch.size(), published, failed, !failed.isEmpty());
        });
    }

    /** One job's events in id order; the first failure ends the job's chain so nothing overtakes it. */
    private Uni<JobOutcome> sendInOrder(List<Pending> events, int index, List<Long> published) {
        if (index == events.size()) {
            return Uni.createFrom().item(new JobOutcome(published, null));
        }
        Pending message = events.get(index);
        return send(message)
                .onItem()
                .transformToUni(acked -> {
                    published.add(message.id());
                    return sendInOrder(events, index + 1, published);
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "outbox event %s (%s) not acknowledged by Kafka, will retry: %s",
                            message.eventId(),
                            message.eventType(),
                            failure.getClass().getSimpleName());
                    return new JobOutcome(published, message.id());
                });
    }

    private Uni<Void> record(SqlConnection connection, Run run) {
        Uni<Void> marked = run.published().isEmpty()
                ? Uni.createFrom().voidItem()
                : connection
                        .preparedQuery("update outbox_message set published_at = now() where id = any($1)")
                        .execute(Tuple.of(run.published().toArray(new Long[0])))
                        .replaceWithVoid();
        return run.failedIds().isEmpty()
                ? marked
                : marked.chain(() -> connection
                        .preparedQuery("update outbox_message set attempts = attempts + 1 where id = any($1)")
                        .execute(Tuple.of(run.failedIds().toArray(new Long[0])))
                        .replaceWithVoid());
    }

    private Uni<Void> send(Pending message) {
        List<RecordHeader> headers = new ArrayList<>();
        headers.add(header("event-type", message.eventType()));
        Message<String> record = Message.of(message.payload());
        if (message.traceparent() != null) {
            headers.add(header(Outbox.TRACEPARENT, message.traceparent()));
            if (message.tracestate() != null) {
                headers.add(header(Outbox.TRACESTATE, message.tracestate()));
            }
            // with tracing on, the connector's producer span joins the stored trace and appends its own traceparent
            // after ours; Kafka readers take the last one, which is in the same trace
            record = record.addMetadata(TracingMetadata.withCurrent(
                    W3CTraceContextPropagator.getInstance().extract(Context.root(), message, STORED_TRACE)));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(message.topic())
                .withKey(message.messageKey())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(record.addMetadata(metadata))
                .ifNoItem()
                .after(config.sendTimeout())
                .fail();
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An unpublished row as the relay reads it. */
    private record Pending(
            long id,
            UUID eventId,
            String topic,
            String messageKey,
            String eventType,
            String payload,
            String traceparent,
            String tracestate) {

        static Pending of(Row row) {
            return new Pending(
                    row.getLong("id"),
                    row.getUUID("event_id"),
                    row.getString("topic"),
                    row.getString("message_key"),
                    row.getString("event_type"),
                    row.getString("payload"),
                    row.getString("traceparent"),
                    row.getString("tracestate"));
        }
    }

    /** What one job's chain achieved: the ids acknowledged, and the id that failed (null when none did). */
    private record JobOutcome(List<Long> published, Long failed) {}

    /** One relay run: rows read, ids acknowledged, ids that failed, and whether anything failed. */
    private record Run(int fetched, List<Long> published, List<Long> failedIds, boolean failed) {

        static Run failure() {
            return new Run(0, List.of(), List.of(), true);
        }
    }

    private static final TextMapGetter<Pending> STORED_TRACE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Pending message) {
            return List.of(Outbox.TRACEPARENT, Outbox.TRACESTATE);
        }

        @Override
        public String get(Pending message, String key) {
            if (message == null) {
                return null;
            }
            return switch (key) {
                case Outbox.TRACEPARENT -> message.traceparent();
                case Outbox.TRACESTATE -> message.tracestate();
                default -> null;
            };
        }
    };
}
