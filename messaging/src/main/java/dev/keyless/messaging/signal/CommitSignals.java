package dev.keyless.messaging.signal;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Wakes waiters of every replica when a transaction commits: {@link #notifyOnCommit} queues a PostgreSQL
 * {@code NOTIFY} in the current transaction (delivered only if it commits), and a {@link Waiter} waits for one on
 * a channel and topic (such as a job id), or for a timeout, whichever comes first. A waiter must keep a periodic
 * look as the safety net for a notification lost while the listening connection was away.
 */
@ApplicationScoped
public class CommitSignals {

    private static final Logger LOG = Logger.getLogger(CommitSignals.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Topic that wakes every waiter of a channel. */
    public static final String ALL = "*";

    private final Vertx vertx;
    private final Optional<PgConnectOptions> listenOptions;
    /** channel -> topic -> waiters to wake */
    private final Map<String, Map<String, Set<Waiter>>> waiters = new ConcurrentHashMap<>();
    /** channel -> handlers run on every notification of the channel and whenever listening (re)starts */
    private final Map<String, Set<Runnable>> handlers = new ConcurrentHashMap<>();
    private PgSubscriber subscriber;

    public CommitSignals(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.listenOptions = ListenOptions.from(config);
    }

    /**
     * Runs {@code handler} on every notification of {@code channel}, whatever its topic, and each time listening
     * (re)starts, since notifications sent while the connection was away are lost: the handler then looks anyway.
     */
    public void onEach(String channel, Runnable handler) {
        handlers.computeIfAbsent(identifier(channel), key -> ConcurrentHashMap.newKeySet()).add(handler);
        listen(channel);
    }

    /** Queues a notification of {@code topic} on {@code channel}, sent when the current transaction commits. */
    public Uni<Void> notifyOnCommit(String channel, String topic) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select cast(pg_notify(:channel, :topic) as text)",
                                String.class)
                        .setParameter("channel", identifier(channel))
                        .setParameter("topic", topic)
                        .getSingleResultOrNull())
                .replaceWithVoid();
    }

    /**
     * A waiter for {@code topic} (or {@link #ALL}) on {@code channel}. Take it BEFORE the look it follows (the
     * query that found nothing to do): a commit between that look and {@link Waiter#await} then still wakes it.
     */
    public Waiter waiter(String channel, String topic) {
        listen(identifier(channel));
        return new Waiter(waiters.get(channel), topic);
    }

    /** One wait; wakes once. */
    public static final class Waiter {
        private final Map<String, Set<Waiter>> byTopic;
        private final String topic;
        private final CompletableFuture<Void> fired = new CompletableFuture<>();

        private Waiter(Map<String, Set<Waiter>> byTopic, String topic) {
            this.byTopic = byTopic;
            this.topic = topic;
            // atomic per topic with cancel's removal of an emptied set, so no waiter joins a set already dropped
            byTopic.compute(topic, (key, waiting) -> {
                Set<Waiter> set = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
                set.add(this);
                return set;
            });
        }

        /**
         * Completes, on the caller's Vert.x context, when the topic was notified since this waiter was taken, or
         * after {@code timeout}; then the waiter is spent.
         */
        public Uni<Void> await(Duration timeout) {
            io.vertx.core.Context context = Vertx.currentContext();
            Executor onContext = context == null ? Infrastructure.getDefaultExecutor()
                    : task -> context.runOnContext(ignored -> task.run());
            return Uni.createFrom().completionStage(fired)
                    .ifNoItem().after(timeout.isZero() || timeout.isNegative() ? Duration.ofMillis(1) : timeout)
                    .recoverWithItem(() -> null)
                    .invoke(this::cancel)
                    .emitOn(onContext);
        }

        /** Drops the waiter without waiting (the look found something). */
        public void cancel() {
            byTopic.computeIfPresent(topic, (key, waiting) -> {
                waiting.remove(this);
                return waiting.isEmpty() ? null : waiting;
            });
        }

        private void fire() {
            fired.complete(null);
        }
    }

    /** One listening connection per service for every channel; it reconnects after a drop. */
    private synchronized void listen(String channel) {
        if (waiters.containsKey(channel)) {
            return;
        }
        waiters.put(channel, new ConcurrentHashMap<>());
        if (listenOptions.isEmpty()) {
            LOG.warnf("no quarkus.datasource.reactive.url: %s is not listened to; waiters wake on their timeout", channel);
            return;
        }
        if (subscriber == null) {
            subscriber = PgSubscriber.subscriber(vertx, listenOptions.get()).reconnectPolicy(retries -> 1000L);
            subscriber.connect().onFailure(failure -> LOG.warnf(
                    "cannot listen for commit signals yet (%s); waiters wake on their timeout",
                    failure.getClass().getSimpleName()));
        }
        subscriber.channel(channel)
                .handler(topic -> wake(channel, topic))
                .subscribeHandler(subscribed -> handlers.getOrDefault(channel, Set.of()).forEach(Runnable::run));
    }

    private void wake(String channel, String topic) {
        handlers.getOrDefault(channel, Set.of()).forEach(Runnable::run);
        Map<String, Set<Waiter>> byTopic = waiters.get(channel);
        if (ALL.equals(topic)) {
            byTopic.values().forEach(set -> set.forEach(Waiter::fire));
            return;
        }
        fire(byTopic.get(topic));
        fire(byTopic.get(ALL));
    }

    private static void fire(Set<Waiter> set) {
        if (set != null) {
            set.forEach(Waiter::fire);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    private static String identifier(String channel) {
        if (!IDENTIFIER.matcher(channel).matches()) {
            throw new IllegalArgumentException("a signal channel must be a lower-case SQL identifier");
        }
        return channel;
    }
}
