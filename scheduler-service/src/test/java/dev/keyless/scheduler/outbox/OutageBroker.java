package dev.keyless.scheduler.outbox;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.util.Map;

/**
 * A Kafka broker of its own for the broker-outage test, so that stopping it never disturbs the shared test
 * broker on 9192. Started fresh (empty topics) through the repository's local script.
 */
public class OutageBroker implements QuarkusTestResourceLifecycleManager {

    static final String NAME = "scheduler-outage";
    static final String BOOTSTRAP = "127.0.0.1:9392";
    private static final String SCRIPT = "../deploy/local/kafka.sh";

    @Override
    public Map<String, String> start() {
        run("start", "--name", NAME, "--port", "9392", "--fresh");
        return Map.of("kafka.bootstrap.servers", BOOTSTRAP);
    }

    @Override
    public void stop() {
        stopBroker();
    }

    static void startBroker() {
        run("start", "--name", NAME, "--port", "9392");
    }

    static void stopBroker() {
        run("stop", "--name", NAME);
    }

    private static void run(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = SCRIPT;
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("kafka.sh " + String.join(" ", arguments) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
