package dev.keyless.issuer.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop HTTP load against a running issuer-service: a trivial endpoint of the same service
 * ({@code /q/health/live} on its management interface), then the JWKS, then discovery, each for the same time
 * and concurrency. Prints requests/s, p50 and p99 per endpoint and each public endpoint's throughput as a share
 * of the trivial one.
 *
 * <p>Usage: {@code WellKnownLoad <base-url> [seconds-per-endpoint] [concurrency] [management-url]}
 */
public final class WellKnownLoad {

    private record Outcome(String name, double perSecond, double p50Millis, double p99Millis, long errors) {}

    private WellKnownLoad() {}

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8082";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String management = args.length > 3 ? args[3] : "http://localhost:9082";
        String org = UUID.randomUUID().toString();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String[][] targets = {
            {"trivial (/q/health/live)", management + "/q/health/live"},
            {"jwks", base + "/org/" + org + "/.well-known/jwks-pub.json"},
            {"discovery", base + "/org/" + org + "/.well-known/openid-configuration"}
        };
        // warm every endpoint (JIT, connection pool) before measuring any, so order does not favour the later ones
        for (String[] target : targets) {
            run(client, target[1], Math.max(2, seconds / 2), concurrency);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (String[] target : targets) {
            outcomes.add(measure(client, target[0], target[1], seconds, concurrency));
        }
        double trivial = outcomes.get(0).perSecond();
        System.out.println();
        System.out.printf("load: %d s per endpoint, %d concurrent connections%n", seconds, concurrency);
        System.out.println("endpoint                  req/s      p50 ms   p99 ms   errors  share of trivial");
        for (Outcome o : outcomes) {
            System.out.printf(
                    "%-24s %8.0f  %8.2f %8.2f  %7d  %6.1f%%%n",
                    o.name(), o.perSecond(), o.p50Millis(), o.p99Millis(), o.errors(), 100 * o.perSecond() / trivial);
        }
    }

    private static Outcome measure(HttpClient client, String name, String url, int seconds, int concurrency)
            throws InterruptedException {
        long[][] latencies = run(client, url, seconds, concurrency);
        long errors = latencies[concurrency][0];
        long[] all = Arrays.stream(latencies, 0, concurrency)
                .flatMapToLong(Arrays::stream)
                .filter(l -> l > 0)
                .sorted()
                .toArray();
        double p50 = all.length == 0 ? 0 : all[(int) (all.length * 0.50)] / 1e6;
        double p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
        return new Outcome(name, all.length / (double) seconds, p50, p99, errors);
    }

    /** Per worker, the latencies (ns) of its successful requests; the last row holds the error count. */
    private static long[][] run(HttpClient client, String url, int seconds, int concurrency)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        long[][] result = new long[concurrency + 1][];
        long[] errors = new long[concurrency];
        Thread[] workers = new Thread[concurrency];
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers[w] = new Thread(() -> {
                long[] samples = new long[1 << 16];
                int count = 0;
                while (!stop.get()) {
                    long started = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            errors[worker]++;
                            continue;
                        }
                    } catch (Exception e) {
                        errors[worker]++;
                        continue;
                    }
                    if (count == samples.length) {
                        samples = Arrays.copyOf(samples, samples.length * 2);
                    }
                    samples[count++] = System.nanoTime() - started;
                }
                result[worker] = Arrays.copyOf(samples, count);
            });
            workers[w].start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        result[concurrency] = new long[] {Arrays.stream(errors).sum()};
        return result;
    }
}
