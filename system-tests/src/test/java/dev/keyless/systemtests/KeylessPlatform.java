package dev.keyless.systemtests;

import dev.keyless.testing.TestKeys;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The whole platform as separate processes, as an operator runs it: a fresh Kafka broker of its own
 * ({@code deploy/local/kafka.sh}, port 9292), fresh databases, fresh secrets, and the three services started
 * from their built {@code quarkus-app} jars on free ports with the configuration {@code deploy/local/service-env.sh}
 * assembles. The admin and job-credential keys are this JVM's {@link TestKeys}, so that {@code TestTokens} can
 * mint valid and hostile tokens. Everything is stopped at the end of the run, or by a shutdown hook.
 */
public final class KeylessPlatform implements AutoCloseable {

    static final String KAFKA_NAME = "systest";
    static final int KAFKA_PORT = 9292;
    private static final String DB_PREFIX = "keyless_it";
    private static final List<String> SERVICES = List.of("issuer", "context", "scheduler");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path repo = Path.of(System.getProperty("keyless.repo.dir", ".."))
            .toAbsolutePath()
            .normalize();
    private final Path workDir = Path.of(System.getProperty("keyless.systest.dir", "target/system-tests"))
            .toAbsolutePath();
    private final Path keysDir = workDir.resolve("keys");
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<Process> extraProcesses = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "keyless-platform-stop");
    private boolean kafkaStarted;

    public static KeylessPlatform start() {
        KeylessPlatform platform = new KeylessPlatform();
        Runtime.getRuntime().addShutdownHook(platform.shutdownHook);
        try {
            platform.startAll();
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    private void startAll() {
        for (String service : SERVICES) {
            Path jar = serviceJar(service);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        jar + " is missing: build the services first (./mvnw package -DskipTests)");
            }
            ports.put(service, unusedPort());
            managementPorts.put(service, unusedPort());
        }
        if (!Files.isRegularFile(executorJar())) {
            throw new IllegalStateException(executorJar() + " is missing: build the executor first");
        }
        try {
            Files.createDirectories(workDir);
            writeSecrets();
            // stop first: a broker left over from a killed run would otherwise be reused, not fresh
            run(
                    List.of("bash", repo.resolve("deploy/local/kafka.sh").toString(), "stop", "--name", KAFKA_NAME),
                    Map.of(),
                    Duration.ofMinutes(1));
            run(
                    List.of(
                            "bash",
                            repo.resolve("deploy/local/kafka.sh").toString(),
                            "start",
                            "--name",
                            KAFKA_NAME,
                            "--port",
                            String.valueOf(KAFKA_PORT),
                            "--fresh"),
                    Map.of(),
                    Duration.ofMinutes(5));
            kafkaStarted = true;
            recreateDatabases();
            for (String service : SERVICES) {
                startService(service);
            }
            for (String service : SERVICES) {
                awaitReady(service);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TestKeys' PEMs for the admin and job-credential keys, then secrets.sh adds the KEKs and tokens. */
    private void writeSecrets() throws IOException {
        deleteRecursively(keysDir);
        Files.createDirectories(keysDir);
        TestKeys keys = TestKeys.get();
        Files.copy(keys.adminPublicKeyPath(), keysDir.resolve("admin-public.pem"));
        Files.copy(keys.adminPrivateKeyPath(), keysDir.resolve("admin-private.pem"));
        Files.copy(keys.jobCredentialPublicKeyPath(), keysDir.resolve("job-credential-public.pem"));
        Files.copy(keys.jobCredentialPrivateKeyPath(), keysDir.resolve("job-credential-private.pem"));
        run(
                List.of("bash", repo.resolve("deploy/local/secrets.sh").toString(), keysDir.toString()),
                Map.of(),
                Duration.ofMinutes(1));
    }

    private void recreateDatabases() {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String service : SERVICES) {
                String database = DB_PREFIX + "_" + service;
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate the system-test databases on 127.0.0.1:5432", e);
        }
    }

    private void startService(String service) throws IOException {
        processes.put(service, launch(service, service, ports.get(service), managementPorts.get(service), Map.of()));
    }

    /**
     * Starts the service's configuration (service-env.sh) as a process listening on the given ports, with
     * {@code settings} added to its environment. Every service tolerates 2 s of clock skew on job credentials
     * (one machine, one clock), so tests of the credential's lifetime need not wait the production 30 s.
     */
    private Process launch(String service, String logName, int port, int managementPort, Map<String, String> settings)
            throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("KEYLESS_KEYS_DIR", keysDir.toString());
        inputs.put("KEYLESS_KAFKA", "127.0.0.1:" + KAFKA_PORT);
        inputs.put("KEYLESS_DB_PREFIX", DB_PREFIX);
        inputs.put("KEYLESS_HOST", "127.0.0.1");
        for (String each : SERVICES) {
            String prefix = "KEYLESS_" + each.toUpperCase(Locale.ROOT);
            inputs.put(prefix + "_PORT", String.valueOf(each.equals(service) ? port : ports.get(each)));
            inputs.put(
                    prefix + "_MANAGEMENT_PORT",
                    String.valueOf(each.equals(service) ? managementPort : managementPorts.get(each)));
        }
        String lines = run(
                List.of("bash", repo.resolve("deploy/local/service-env.sh").toString(), service),
                inputs,
                Duration.ofMinutes(1));
        ProcessBuilder builder = new ProcessBuilder(
                        "java",
                        "-Xms64m",
                        "-Xmx384m",
                        "-jar",
                        serviceJar(service).toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log(logName).toFile());
        for (String line : lines.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                builder.environment().put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        builder.environment().put("KEYLESS_JOB_CREDENTIAL_CLOCK_SKEW_SECONDS", "2");
        builder.environment().putAll(settings);
        return builder.start();
    }

    /**
     * Starts another replica of {@code service} (same database and broker) with extra settings, as an operator
     * would run a second pod; it stops with the platform. Returns its API URL once it is ready.
     */
    public String startReplica(String service, String name, Map<String, String> settings) {
        int port = unusedPort();
        int managementPort = unusedPort();
        try {
            Process replica = launch(service, name, port, managementPort, settings);
            synchronized (extraProcesses) {
                extraProcesses.add(replica);
            }
            awaitReady(name, replica, "http://127.0.0.1:" + managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "http://127.0.0.1:" + port;
    }

    /** Stops the broker, keeping its data, as an outage would. */
    public void stopKafka() {
        run(
                List.of("bash", repo.resolve("deploy/local/kafka.sh").toString(), "stop", "--name", KAFKA_NAME),
                Map.of(),
                Duration.ofMinutes(1));
    }

    /** Starts the broker again on its data after {@link #stopKafka()}. */
    public void startKafka() {
        run(
                List.of(
                        "bash",
                        repo.resolve("deploy/local/kafka.sh").toString(),
                        "start",
                        "--name",
                        KAFKA_NAME,
                        "--port",
                        String.valueOf(KAFKA_PORT)),
                Map.of(),
                Duration.ofMinutes(5));
    }

    private void awaitReady(String service) {
        awaitReady(service, processes.get(service), managementUrl(service));
    }

    private void awaitReady(String service, Process process, String managementUrl) {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create(managementUrl + "/q/health/ready");
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            service + " exited with " + process.exitValue() + " during start:\n" + tail(log(service)));
                }
                try {
                    return http.send(
                                            HttpRequest.newBuilder(ready)
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    service + " not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + tail(log(service)));
        }
    }

    public String schedulerUrl() {
        return url("scheduler");
    }

    public String contextUrl() {
        return url("context");
    }

    /** The issuer base URL; an org's {@code iss} is {@code issuerUrl() + "/org/" + orgId}. */
    public String issuerUrl() {
        return url("issuer");
    }

    public String executorToken() {
        try {
            return Files.readString(keysDir.resolve("executor-token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path executorJar() {
        return repo.resolve("executor/target/keyless-executor.jar");
    }

    public Path log(String name) {
        return workDir.resolve(name + ".log");
    }

    /** Starts a real executor ({@code executor run}) as its own process; stopped with the platform at the latest. */
    public Process startExecutor(String name, String... extraArgs) throws IOException {
        return startExecutor(name, Map.of(), extraArgs);
    }

    /** As {@link #startExecutor(String, String...)}, with {@code environment} over the executor's inherited one. */
    public Process startExecutor(String name, Map<String, String> environment, String... extraArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx128m",
                "-jar",
                executorJar().toString(),
                "run",
                "--scheduler",
                schedulerUrl(),
                "--context",
                contextUrl(),
                "--issuer",
                issuerUrl(),
                "--wait-seconds",
                "2",
                "--heartbeat-seconds",
                "2"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        // from the environment, not the command line, as an operator would pass a secret
        builder.environment().put("KEYLESS_EXECUTOR_TOKEN", executorToken());
        builder.environment().putAll(environment);
        Process process = builder.start();
        synchronized (extraProcesses) {
            extraProcesses.add(process);
        }
        return process;
    }

    public Path operatorJar() {
        return repo.resolve("operator/target/quarkus-app/quarkus-run.jar");
    }

    /**
     * Starts the Kubernetes operator ({@code operator/target/quarkus-app}) as its own process with {@code settings}
     * (where its Kubernetes API is, which namespace it watches); returns it once ready. Stopped with the platform at
     * the latest.
     */
    public Process startOperator(String name, Map<String, String> settings) {
        if (!Files.isRegularFile(operatorJar())) {
            throw new IllegalStateException(operatorJar() + " is missing: build the operator first");
        }
        int managementPort = unusedPort();
        ProcessBuilder builder = new ProcessBuilder(
                        "java", "-Xms64m", "-Xmx256m", "-jar", operatorJar().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(unusedPort()));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().putAll(settings);
        try {
            Process operator = builder.start();
            synchronized (extraProcesses) {
                extraProcesses.add(operator);
            }
            awaitReady(name, operator, "http://127.0.0.1:" + managementPort);
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** Health, metrics and OpenAPI: the service's management interface. */
    private String managementUrl(String service) {
        return "http://127.0.0.1:" + managementPorts.get(service);
    }

    /** A free port that no other service of this platform was given. */
    private int unusedPort() {
        while (true) {
            int port = freePort();
            if (!ports.containsValue(port) && !managementPorts.containsValue(port)) {
                return port;
            }
        }
    }

    private Path serviceJar(String service) {
        return repo.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this
        }
    }

    private synchronized void stopAll() {
        synchronized (extraProcesses) {
            extraProcesses.forEach(KeylessPlatform::stop);
            extraProcesses.clear();
        }
        List<String> reversed = new ArrayList<>(processes.keySet());
        Collections.reverse(reversed);
        for (String service : reversed) {
            stop(processes.get(service));
        }
        processes.clear();
        if (kafkaStarted) {
            kafkaStarted = false;
            run(
                    List.of("bash", repo.resolve("deploy/local/kafka.sh").toString(), "stop", "--name", KAFKA_NAME),
                    Map.of(),
                    Duration.ofMinutes(1));
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Runs a helper script, returns its stdout; its stderr goes to the test log. */
    private String run(List<String> command, Map<String, String> environment, Duration timeout) {
        try {
            Path output = Files.createTempFile(workDir, "cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(repo.toFile())
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            String stdout = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue());
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
