package dev.keyless.messaging.signal;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Wakes waiters of every replica when a transaction commits: {@link #notifyOnCommit} queues a PostgreSQL
 * {@code NOTIFY} in the current transaction (delivered only if it commits), and a {@link Waiter} waits for one on
 * a channel and topic (such as a job id), or for a timeout, whichever comes first. A waiter must keep a periodic
 * look as the safety net for a notification lost while the listening connection was away.
 * <p>
 * A notification wakes every {@link #waiter} of its topic, but only the oldest {@link #queuedWaiter}: a queued
 * waiter stands for one of many consumers competing for one unit of work (claims waiting for a job), and waking all
 * of them for each unit costs one wasted look per waiter, which is what saturated the scheduler at 10 jobs/s.
 */
@ApplicationScoped
public class CommitSignals {

    private static final Logger LOG = Logger.getLogger(CommitSignals.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Topic that wakes every waiter of a channel. */
    public static final String ALL = "*";

    private final Vertx vertx;
    private final Optional<PgConnectOptions> listenOptions;
    /** channel -> topic -> waiters to wake, oldest first */
    private final Map<String, Map<String, Queue<Waiter>>> waiters = new ConcurrentHashMap<>();
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
        handlers.computeIfAbsent(identifier(channel), key -> ConcurrentHashMap.newKeySet())
                .add(handler);
        listen(channel);
    }

    /** Queues a notification of {@code topic} on {@code channel}, sent when the current transaction commits. */
    public Uni<Void> notifyOnCommit(String channel, String topic) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select cast(pg_notify(:channel, :topic) as text)", String.class)
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
        return new Waiter(waiters.get(channel), topic, false);
    }

    /**
     * Like {@link #waiter}, but a notification of the topic wakes only the oldest queued waiter still waiting (of the
     * topic, else of {@link #ALL}); a notification of {@link #ALL} wakes them all. For competing consumers of one
     * unit of work per notification: the woken one looks, and the others keep waiting for the next notification.
     */
    public Waiter queuedWaiter(String channel, String topic) {
        listen(identifier(channel));
        return new Waiter(waiters.get(channel), topic, true);
    }

    /** One wait; wakes once. */
    public static final class Waiter {
        private final Map<String, Queue<Waiter>> byTopic;
        private final String topic;
        private final boolean queued;
        private final CompletableFuture<Void> fired = new CompletableFuture<>();
        private volatile boolean wokenByNotification;

        private Waiter(Map<String, Queue<Waiter>> byTopic, String topic, boolean queued) {
            this.byTopic = byTopic;
            this.topic = topic;
            this.queued = queued;
            // atomic per topic with cancel's removal of an emptied queue, so no waiter joins a queue already dropped
            byTopic.compute(topic, (key, waiting) -> {
                Queue<Waiter> queue = waiting == null ? new ConcurrentLinkedQueue<>() : waiting;
                queue.add(this);
                return queue;
            });
        }

        /**
         * Completes, on the caller's Vert.x context, when the topic was notified since this waiter was taken, or
         * after {@code timeout}; then the waiter is spent (the caller looks again either way).
         */
        public Uni<Void> await(Duration timeout) {
            Context context = Vertx.currentContext();
            Executor onContext = context == null
                    ? Infrastructure.getDefaultExecutor()
                    : task -> context.runOnContext(ignored -> task.run());
            return Uni.createFrom()
                    .completionStage(fired)
                    .ifNoItem()
                    .after(timeout.isZero() || timeout.isNegative() ? Duration.ofMillis(1) : timeout)
                    .recoverWithItem(() -> null)
                    .invoke(this::spend)
                    .emitOn(onContext);
        }

        /**
         * Drops the waiter without waiting (the look found something). A queued waiter woken between its look and
         * this call passes its wake-up on to the next queued waiter, or that unit of work would wait for a sweep.
         */
        public void cancel() {
            if (!spend() && queued && wokenByNotification) {
                wakeOneQueued(byTopic.get(topic));
            }
        }

        /** Marks the waiter spent and leaves its queue; true when it was still waiting. */
        private boolean spend() {
            // spent first: a notification arriving now wakes the next queued waiter instead of this one
            boolean waiting = fired.complete(null);
            byTopic.computeIfPresent(topic, (key, queue) -> {
                queue.remove(this);
                return queue.isEmpty() ? null : queue;
            });
            return waiting;
        }

        /** True once woken, timed out or dropped. */
        boolean spent() {
            return fired.isDone();
        }

        /** True when this call woke the waiter (it was still waiting). */
        private boolean fire() {
            // set before completing, so a cancel that finds the waiter fired also sees why
            wokenByNotification = true;
            return fired.complete(null);
        }
    }

    /** One listening connection per service for every channel; it reconnects after a drop. */
    private synchronized void listen(String channel) {
        if (waiters.containsKey(channel)) {
            return;
        }
        waiters.put(channel, new ConcurrentHashMap<>());
        if (listenOptions.isEmpty()) {
            LOG.warnf(
                    "no quarkus.datasource.reactive.url: %s is not listened to; waiters wake on their timeout",
                    channel);
            return;
        }
        if (subscriber == null) {
            subscriber = PgSubscriber.subscriber(vertx, listenOptions.get()).reconnectPolicy(retries -> 1000L);
            subscriber
                    .connect()
                    .onFailure(failure -> LOG.warnf(
                            "cannot listen for commit signals yet (%s); waiters wake on their timeout",
                            failure.getClass().getSimpleName()));
        }
        // notifications sent while the connection was away are lost: on each (re)subscription every waiter looks again
        subscriber
                .channel(channel)
                .handler(topic -> wake(channel, topic))
                .subscribeHandler(subscribed -> wake(channel, ALL));
    }

    void wake(String channel, String topic) {
        handlers.getOrDefault(channel, Set.of()).forEach(Runnable::run);
        Map<String, Queue<Waiter>> byTopic = waiters.get(channel);
        if (ALL.equals(topic)) {
            byTopic.values().forEach(queue -> queue.forEach(Waiter::fire));
            return;
        }
        fire(byTopic.get(ALL), fire(byTopic.get(topic), false));
    }

    /**
     * Wakes every plain waiter of {@code queue}, and its oldest queued waiter still waiting unless one was woken
     * already; answers whether a queued waiter is now woken.
     */
    private static boolean fire(Queue<Waiter> queue, boolean queuedWoken) {
        if (queue == null) {
            return queuedWoken;
        }
        for (Waiter waiter : queue) {
            if (!waiter.queued) {
                waiter.fire();
            } else if (!queuedWoken) {
                queuedWoken = waiter.fire();
            }
        }
        return queuedWoken;
    }

    private static void wakeOneQueued(Queue<Waiter> queue) {
        if (queue != null) {
            for (Waiter waiter : queue) {
                if (waiter.queued && waiter.fire()) {
                    return;
                }
            }
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
