package dev.keyless.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trigger -> environment served, under a steady job rate, against the local platform as
 * {@code deploy/local/platform.sh start} runs it. Triggers one-job pipelines using one context at the offered rate;
 * executors (threads) long-poll claims and pull the environment at once (again at once on a 503). Prints jobs
 * accepted, the sustained rate, latency percentiles, errors, and per-hop medians from the services' rows.
 *
 * <pre>java -cp ... dev.keyless.bench.TriggerToEnvironment RATE SECONDS [EXECUTORS]</pre>
 *
 * Settings: KEYLESS_HOME (default ~/.keyless, for keys/admin-private.pem and keys/executor-token), scheduler and
 * context on 127.0.0.1:8080 / 8081, databases keyless_scheduler and keyless_context on 127.0.0.1:5432 (user
 * postgres).
 */
public final class TriggerToEnvironment {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEDULER = System.getProperty("scheduler", "http://127.0.0.1:8080");
    private static final String CONTEXT = System.getProperty("context", "http://127.0.0.1:8081");
    private static final String CONTEXT_MANAGEMENT = System.getProperty("context.management", "http://127.0.0.1:9081");
    private static final String DB = System.getProperty("db", "jdbc:postgresql://127.0.0.1:5432/");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<UUID, Long> triggeredAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> claimedAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> servedAt = new ConcurrentHashMap<>();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger notReady = new AtomicInteger();
    /** Bumped between phases: a trigger answered after its phase ended is not counted in the next one. */
    private final AtomicInteger generation = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TriggerToEnvironment RATE_PER_SECOND[,RATE...] SECONDS [EXECUTORS]");
            System.err.println("       TriggerToEnvironment pulls SECONDS [CONNECTIONS]");
            System.exit(64);
        }
        if (args[0].equals("pulls")) {
            new TriggerToEnvironment()
                    .pulls(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 16);
            return;
        }
        new TriggerToEnvironment()
                .run(
                        Arrays.stream(args[0].split(","))
                                .mapToDouble(Double::parseDouble)
                                .toArray(),
                        Integer.parseInt(args[1]),
                        args.length > 2 ? Integer.parseInt(args[2]) : 16);
    }

    /** An org with a project, a user and one context holding one secret; the trigger body of a one-job pipeline. */
    private record Setup(UUID projectId, String admin, String triggerBody, String executorToken) {}

    private Setup setup() throws Exception {
        Path keys = Path.of(
                System.getenv().getOrDefault("KEYLESS_HOME", System.getProperty("user.home") + "/.keyless"), "keys");
        PrivateKey adminKey = readKey(keys.resolve("admin-private.pem"));
        String executorToken = Files.readString(keys.resolve("executor-token")).trim();

        JsonNode org =
                post(SCHEDULER + "/api/v1/orgs", token(adminKey, null), Map.of("name", "bench-" + UUID.randomUUID()));
        UUID orgId = UUID.fromString(org.get("id").asText());
        String admin = token(adminKey, orgId);
        UUID projectId = UUID.fromString(post(
                        SCHEDULER + "/api/v1/orgs/" + orgId + "/projects",
                        admin,
                        Map.of("name", "app", "vcs_origin", "github.com/bench/app"))
                .get("id")
                .asText());
        UUID userId = UUID.fromString(post(SCHEDULER + "/api/v1/orgs/" + orgId + "/users", admin, Map.of("name", "ada"))
                .get("id")
                .asText());
        UUID contextId =
                UUID.fromString(post(CONTEXT + "/api/v1/orgs/" + orgId + "/contexts", admin, Map.of("name", "deploy"))
                        .get("id")
                        .asText());
        send(
                "PUT",
                CONTEXT + "/api/v1/orgs/" + orgId + "/contexts/" + contextId + "/env/API_KEY",
                admin,
                Map.of("value", "s3cr3t"));
        String triggerBody = JSON.writeValueAsString(Map.of(
                "ref",
                "refs/heads/main",
                "revision",
                "0123456789abcdef0123456789abcdef01234567",
                "trigger_source",
                "api",
                "user_id",
                userId.toString(),
                "workflows",
                List.of(Map.of(
                        "name",
                        "bench",
                        "jobs",
                        List.of(Map.of(
                                "name",
                                "build",
                                "command",
                                "true",
                                "contexts",
                                List.of("deploy"),
                                "requires",
                                List.of(),
                                "ssh_rerun",
                                false,
                                "timeout_seconds",
                                300))))));
        return new Setup(projectId, admin, triggerBody, executorToken);
    }

    /**
     * One warm-up, then each rate in turn for {@code seconds}, each measured on its own (put the rates a machine
     * cannot sustain last: their backlog would spill into the next).
     */
    private void run(double[] rates, int seconds, int executors) throws Exception {
        Setup setup = setup();
        AtomicBoolean claiming = new AtomicBoolean(true);
        List<Thread> claimers = new ArrayList<>();
        for (int i = 0; i < executors; i++) {
            Thread thread =
                    new Thread(() -> executorLoop(setup.executorToken(), setup.projectId(), claiming), "executor-" + i);
            thread.start();
            claimers.add(thread);
        }
        // a JVM that just started spends most of its CPU in the JIT compilers for minutes (Hibernate, Vert.x and
        // RESTEasy are a lot of code, and 2 cores are shared by three services; at 150 s they still took about 40 %,
        // at 300 s under 15 %): warm up long enough that the measurement shows the services' steady state, at a
        // rate this machine sustains so no backlog spills over
        int warmup = Integer.getInteger("warmup", 300);
        if (warmup > 0) {
            double warmupRate = Math.min(Arrays.stream(rates).max().orElse(15), 15);
            System.out.printf("warm-up: %.1f jobs/s for %d s (not measured)%n", warmupRate, warmup);
            phase(setup, warmupRate, warmup);
        }
        for (double rate : rates) {
            measure(setup, rate, seconds, executors);
        }
        claiming.set(false);
        for (Thread thread : claimers) {
            thread.join();
        }
    }

    private void measure(Setup setup, double rate, int seconds, int executors) throws Exception {
        // a trigger of an earlier phase answered from now on belongs to no phase
        generation.incrementAndGet();
        triggeredAt.clear();
        claimedAt.clear();
        servedAt.clear();
        errors.set(0);
        notReady.set(0);
        CpuSample cpuBefore = CpuSample.take();
        Phase measured = phase(setup, rate, seconds);
        CpuSample cpuAfter = CpuSample.take();

        List<Long> latencies = new ArrayList<>();
        servedAt.forEach((job, served) -> {
            Long sent = triggeredAt.get(job);
            if (sent != null) {
                latencies.add(served - sent);
            }
        });
        Collections.sort(latencies);
        System.out.printf("offered %.1f jobs/s for %d s with %d executors%n", rate, seconds, executors);
        System.out.printf(
                "jobs accepted %d, environments served %d, errors %d, 503 answers %d%n",
                measured.accepted(),
                latencies.size(),
                errors.get() + (measured.accepted() - latencies.size()),
                notReady.get());
        System.out.printf(
                "sustained %.1f jobs/s (served / first trigger to last environment)%n",
                latencies.size() / ((measured.end() - measured.begin()) / 1e9));
        System.out.printf(
                "trigger -> environment served: p50 %s  p95 %s  p99 %s  max %s%n",
                pct(latencies, 50),
                pct(latencies, 95),
                pct(latencies, 99),
                latencies.isEmpty() ? "-" : ms(latencies.get(latencies.size() - 1)));
        if (!latencies.isEmpty()) {
            System.out.println(cpuAfter.since(cpuBefore, latencies.size()));
        }
        List<Long> pulls = new ArrayList<>();
        servedAt.forEach((job, served) -> {
            Long claimed = claimedAt.get(job);
            if (claimed != null) {
                pulls.add(served - claimed);
            }
        });
        Collections.sort(pulls);
        hops(new ArrayList<>(servedAt.keySet()), pulls);
    }

    /** Jobs accepted in one phase, and when it began and its last environment was served (nanoTime). */
    private record Phase(int accepted, long begin, long end) {}

    /** Triggers at {@code rate} for {@code seconds}, then waits for every job served, or 30 s after the last trigger. */
    private Phase phase(Setup setup, double rate, int seconds) throws InterruptedException {
        int total = (int) Math.round(rate * seconds);
        long periodNanos = (long) (1_000_000_000L / rate);
        ScheduledExecutorService triggers = Executors.newScheduledThreadPool(8);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        long begin = System.nanoTime();
        triggers.scheduleAtFixedRate(
                () -> {
                    if (started.getAndIncrement() >= total) {
                        return;
                    }
                    long sent = System.nanoTime();
                    int triggeredIn = generation.get();
                    http.sendAsync(
                                    HttpRequest.newBuilder(URI.create(
                                                    SCHEDULER + "/api/v1/projects/" + setup.projectId() + "/pipelines"))
                                            .header("Authorization", "Bearer " + setup.admin())
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(setup.triggerBody()))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, failure) -> {
                                if (triggeredIn != generation.get()) {
                                    return;
                                }
                                if (failure != null || response.statusCode() != 201) {
                                    errors.incrementAndGet();
                                    return;
                                }
                                try {
                                    UUID jobId = UUID.fromString(JSON.readTree(response.body())
                                            .get("workflows")
                                            .get(0)
                                            .get("jobs")
                                            .get(0)
                                            .get("id")
                                            .asText());
                                    triggeredAt.put(jobId, sent);
                                    accepted.incrementAndGet();
                                } catch (Exception e) {
                                    errors.incrementAndGet();
                                }
                            });
                },
                0,
                periodNanos,
                TimeUnit.NANOSECONDS);
        long deadline = begin + seconds * 1_000_000_000L + 30_000_000_000L;
        while (System.nanoTime() < deadline && (started.get() < total || servedAt.size() < accepted.get())) {
            Thread.sleep(50);
        }
        triggers.shutdownNow();
        long end = servedAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
        return new Phase(accepted.get(), begin, end);
    }

    /**
     * Environment pulls of one running job against the same service's liveness endpoint (its management interface),
     * closed loop with the same number of connections, each measured after a warm-up of its own.
     */
    private void pulls(int seconds, int connections) throws Exception {
        Setup setup = setup();
        send(
                "POST",
                SCHEDULER + "/api/v1/projects/" + setup.projectId() + "/pipelines",
                setup.admin(),
                JSON.readTree(setup.triggerBody()));
        JsonNode claimed = null;
        for (int attempt = 0; attempt < 10 && claimed == null; attempt++) {
            HttpResponse<String> claim = http.send(
                    HttpRequest.newBuilder(URI.create(SCHEDULER + "/api/v1/executor/claim?wait_seconds=5&project_id="
                                    + setup.projectId()))
                            .header("Authorization", "Bearer " + setup.executorToken())
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (claim.statusCode() == 200) {
                claimed = JSON.readTree(claim.body());
            }
        }
        if (claimed == null) {
            throw new IllegalStateException("the job was never claimable");
        }
        String jobId = claimed.get("job_id").asText();
        HttpRequest pull = HttpRequest.newBuilder(URI.create(CONTEXT + "/api/v1/jobs/" + jobId + "/environment"))
                .header("Authorization", "Bearer " + claimed.get("credential").asText())
                .GET()
                .build();
        HttpRequest live = HttpRequest.newBuilder(URI.create(CONTEXT_MANAGEMENT + "/q/health/live"))
                .GET()
                .build();
        closedLoop(live, Math.max(2, seconds / 2), connections);
        closedLoop(pull, Math.max(2, seconds / 2), connections);
        double[] liveness = closedLoop(live, seconds, connections);
        double[] pulls = closedLoop(pull, seconds, connections);
        send(
                "POST",
                SCHEDULER + "/api/v1/jobs/" + jobId + "/complete",
                claimed.get("credential").asText(),
                Map.of("exit_code", 0));
        System.out.printf("%d connections, %d s each%n", connections, seconds);
        System.out.printf("liveness (/q/health/live)  %8.0f req/s  errors %.0f%n", liveness[0], liveness[1]);
        System.out.printf("environment pull           %8.0f req/s  errors %.0f%n", pulls[0], pulls[1]);
        System.out.printf("ratio pull / liveness      %8.3f%n", pulls[0] / liveness[0]);
    }

    /** Requests per second and errors of {@code connections} threads sending {@code request} for {@code seconds}. */
    private double[] closedLoop(HttpRequest request, int seconds, int connections) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread worker = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (client.send(request, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        int served = ok.get();
        double elapsed = (System.nanoTime() - begin) / 1e9;
        for (Thread worker : workers) {
            worker.join();
        }
        return new double[] {served / elapsed, failed.get()};
    }

    private void executorLoop(String executorToken, UUID projectId, AtomicBoolean claiming) {
        while (claiming.get()) {
            try {
                // the executor CLI's default long poll: an idle executor costs the scheduler a look per poll
                // interval, not a claim per second
                HttpResponse<String> claim = http.send(
                        HttpRequest.newBuilder(URI.create(
                                        SCHEDULER + "/api/v1/executor/claim?wait_seconds=20&project_id=" + projectId))
                                .header("Authorization", "Bearer " + executorToken)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (claim.statusCode() == 204) {
                    continue;
                }
                if (claim.statusCode() != 200) {
                    errors.incrementAndGet();
                    continue;
                }
                long claimed = System.nanoTime();
                JsonNode body = JSON.readTree(claim.body());
                UUID jobId = UUID.fromString(body.get("job_id").asText());
                String credential = body.get("credential").asText();
                claimedAt.put(jobId, claimed);
                while (true) {
                    HttpResponse<String> environment = http.send(
                            HttpRequest.newBuilder(URI.create(CONTEXT + "/api/v1/jobs/" + jobId + "/environment"))
                                    .header("Authorization", "Bearer " + credential)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (environment.statusCode() == 200) {
                        servedAt.put(jobId, System.nanoTime());
                        break;
                    }
                    if (environment.statusCode() != 503) {
                        errors.incrementAndGet();
                        break;
                    }
                    notReady.incrementAndGet();
                }
                send("POST", SCHEDULER + "/api/v1/jobs/" + jobId + "/complete", credential, Map.of("exit_code", 0));
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
    }

    /** Medians of each hop, from the rows the services wrote for the served jobs. */
    private static void hops(List<UUID> jobs, List<Long> pulls) throws Exception {
        Map<UUID, Instant[]> scheduler = new LinkedHashMap<>();
        try (Connection db =
                        DriverManager.getConnection(DB + "keyless_scheduler?currentSchema=scheduler", "postgres", "");
                PreparedStatement query = db.prepareStatement(
                        """
                     select j.id, j.created_at, o.created_at, o.published_at, j.started_at
                     from job j join outbox_message o on o.message_key = cast(j.id as varchar)
                                                     and o.event_type = 'JobStarted'
                     where j.id = any(?)""")) {
            query.setArray(1, db.createArrayOf("uuid", jobs.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    scheduler.put(
                            rows.getObject(1, UUID.class),
                            new Instant[] {instant(rows, 2), instant(rows, 3), instant(rows, 4), instant(rows, 5)});
                }
            }
        }
        Map<UUID, Instant[]> context = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(DB + "keyless_context?currentSchema=context", "postgres", "");
                PreparedStatement query = db.prepareStatement(
                        """
                     select cast(message_key as uuid), created_at, published_at from outbox_message
                     where event_type = 'JobContextsResolved' and message_key = any(?)""")) {
            query.setArray(
                    1,
                    db.createArrayOf(
                            "varchar", jobs.stream().map(UUID::toString).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    context.put(rows.getObject(1, UUID.class), new Instant[] {instant(rows, 2), instant(rows, 3)});
                }
            }
        }
        List<Long> jobToOutbox = new ArrayList<>();
        List<Long> schedulerRelay = new ArrayList<>();
        List<Long> resolve = new ArrayList<>();
        List<Long> contextRelay = new ArrayList<>();
        List<Long> claim = new ArrayList<>();
        scheduler.forEach((job, s) -> {
            Instant[] c = context.get(job);
            if (c == null || s[2] == null || c[1] == null || s[3] == null) {
                return;
            }
            jobToOutbox.add(nanos(s[0], s[1]));
            schedulerRelay.add(nanos(s[1], s[2]));
            resolve.add(nanos(s[2], c[0]));
            contextRelay.add(nanos(c[0], c[1]));
            claim.add(nanos(c[1], s[3]));
        });
        System.out.printf(
                "per-hop medians (%d jobs): job row -> outbox row %s | scheduler outbox -> published %s"
                        + " | Kafka + context consume/resolve %s | context outbox -> published %s"
                        + " | published -> claimed %s | claim answered -> environment served %s%n",
                scheduler.size(),
                pct(sorted(jobToOutbox), 50),
                pct(sorted(schedulerRelay), 50),
                pct(sorted(resolve), 50),
                pct(sorted(contextRelay), 50),
                pct(sorted(claim), 50),
                pct(pulls, 50));
    }

    private static Instant instant(ResultSet rows, int column) throws Exception {
        Timestamp timestamp = rows.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static long nanos(Instant from, Instant to) {
        return Duration.between(from, to).toNanos();
    }

    private static List<Long> sorted(List<Long> values) {
        Collections.sort(values);
        return values;
    }

    private static String pct(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return ms(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private JsonNode post(String url, String token, Object body) throws Exception {
        return send("POST", url, token, body);
    }

    private JsonNode send(String method, String url, String token, Object body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /** An admin JWT as deploy/local/AdminToken.java makes it: platform-admin, or org-admin of {@code org}. */
    private static String token(PrivateKey key, UUID org) throws Exception {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"keyless-admin\",\"aud\":\"keyless-api\",\"sub\":\"bench\",\"groups\":[\""
                + (org == null ? "platform-admin" : "org-admin") + "\"],"
                + (org == null ? "" : "\"org_id\":\"" + org + "\",")
                + "\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String input = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + base64.encodeToString(signature.sign());
    }

    private static PrivateKey readKey(Path pem) throws Exception {
        String base64 =
                Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
