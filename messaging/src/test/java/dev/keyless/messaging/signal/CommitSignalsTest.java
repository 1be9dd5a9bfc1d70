package dev.keyless.messaging.signal;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who a notification wakes, without a database: the notifications are delivered by hand, at the same moment from
 * several threads where two actors race.
 */
class CommitSignalsTest {

    private static final String CHANNEL = "test_channel";
    private static Vertx vertx;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        vertx.close();
    }

    private static CommitSignals signals() {
        // no datasource URL: nothing is listened to, notifications come only from the test
        return new CommitSignals(vertx, new SmallRyeConfigBuilder().build());
    }

    @Test
    void aNotificationWakesEveryPlainWaiterButOnlyTheOldestQueuedOne() {
        CommitSignals signals = signals();
        CommitSignals.Waiter plain1 = signals.waiter(CHANNEL, "p");
        CommitSignals.Waiter queued1 = signals.queuedWaiter(CHANNEL, "p");
        CommitSignals.Waiter queued2 = signals.queuedWaiter(CHANNEL, "p");
        CommitSignals.Waiter plain2 = signals.waiter(CHANNEL, "p");
        CommitSignals.Waiter otherTopic = signals.queuedWaiter(CHANNEL, "q");

        signals.wake(CHANNEL, "p");

        assertTrue(plain1.spent());
        assertTrue(plain2.spent());
        assertTrue(queued1.spent());
        assertFalse(queued2.spent(), "a second queued waiter woke for one unit of work");
        assertFalse(otherTopic.spent());
        signals.wake(CHANNEL, "p");
        assertTrue(queued2.spent());
    }

    @Test
    void aQueuedWaiterOfAllTopicsTakesANotificationNoWaiterOfItsTopicTakes() {
        CommitSignals signals = signals();
        CommitSignals.Waiter anyProject = signals.queuedWaiter(CHANNEL, CommitSignals.ALL);
        CommitSignals.Waiter thisProject = signals.queuedWaiter(CHANNEL, "p");

        signals.wake(CHANNEL, "p");
        assertTrue(thisProject.spent());
        assertFalse(anyProject.spent());

        signals.wake(CHANNEL, "p");
        assertTrue(anyProject.spent());
    }

    @Test
    void notificationsArrivingAtTheSameMomentEachWakeADifferentQueuedWaiter() throws Exception {
        for (int round = 0; round < 200; round++) {
            CommitSignals signals = signals();
            List<CommitSignals.Waiter> waiting = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                waiting.add(signals.queuedWaiter(CHANNEL, "p"));
            }
            CyclicBarrier together = new CyclicBarrier(8);
            List<Future<?>> notifications = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                notifications.add(threads.submit(() -> {
                    together.await();
                    signals.wake(CHANNEL, "p");
                    return null;
                }));
            }
            for (Future<?> notification : notifications) {
                notification.get();
            }
            assertEquals(8, waiting.stream().filter(CommitSignals.Waiter::spent).count(), "round " + round);
        }
    }

    @Test
    void aWakeUpLandingAsAWaiterIsDroppedAfterItsLookIsPassedOnAndNeverLost() throws Exception {
        for (int round = 0; round < 500; round++) {
            CommitSignals signals = signals();
            CommitSignals.Waiter lookedAndFound = signals.queuedWaiter(CHANNEL, "p");
            CommitSignals.Waiter stillWaiting = signals.queuedWaiter(CHANNEL, "p");
            CyclicBarrier together = new CyclicBarrier(2);
            Future<?> notification = threads.submit(() -> {
                together.await();
                signals.wake(CHANNEL, "p");
                return null;
            });
            Future<?> drop = threads.submit(() -> {
                together.await();
                lookedAndFound.cancel();
                return null;
            });
            notification.get();
            drop.get();
            // whichever came first, the one unit of work the notification stands for still wakes a waiting claim
            assertTrue(stillWaiting.spent(), "round " + round + ": the wake-up was lost");
        }
    }
}
