package dev.keyless.issuer.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link MintBenchmark} (throughput, one thread) and prints tokens/s, signatures/s and their ratio per
 * algorithm. Raw signing and the mint path run back to back in the same fork, in several rounds, and the
 * median ratio is reported, so load from other processes on a shared machine skews both sides alike.
 * Goal: the mint path reaches at least 90 % of raw signing.
 *
 * <p>Arguments: {@code [rounds=3]}.
 */
public final class MintBenchmarkReport {

    private static final String[] METHODS = {"rawSignature", "mintPath", "mintPathWithPublishedKeyCheck"};

    private MintBenchmarkReport() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, List<Map<String, Double>>> byAlgorithm = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String algorithm : new String[] {"RS256", "ES256"}) {
                Options options = new OptionsBuilder()
                        .include(MintBenchmark.class.getName() + "\\.(" + String.join("|", METHODS) + ")$")
                        .param("algorithm", algorithm)
                        .forks(1)
                        .threads(1)
                        .warmupIterations(3)
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(4)
                        .measurementTime(TimeValue.seconds(2))
                        .build();
                Collection<RunResult> results = new Runner(options).run();
                Map<String, Double> scores = new HashMap<>();
                for (RunResult result : results) {
                    String method = result.getParams().getBenchmark();
                    scores.put(
                            method.substring(method.lastIndexOf('.') + 1),
                            result.getPrimaryResult().getScore());
                }
                byAlgorithm.computeIfAbsent(algorithm, a -> new ArrayList<>()).add(scores);
            }
        }
        System.out.println();
        System.out.println(
                "round  algorithm  signatures/s  tokens/s  ratio   tokens/s with published-key check  ratio");
        for (String algorithm : new String[] {"RS256", "ES256"}) {
            List<Double> ratios = new ArrayList<>();
            List<Double> checkedRatios = new ArrayList<>();
            int round = 1;
            for (Map<String, Double> scores : byAlgorithm.get(algorithm)) {
                double raw = scores.get("rawSignature");
                double mint = scores.get("mintPath");
                double checked = scores.get("mintPathWithPublishedKeyCheck");
                ratios.add(mint / raw);
                checkedRatios.add(checked / raw);
                System.out.printf(
                        "%5d  %-9s  %12.0f  %8.0f  %5.1f%%  %33.0f  %5.1f%%%n",
                        round++, algorithm, raw, mint, 100 * mint / raw, checked, 100 * checked / raw);
            }
            System.out.printf(
                    "median %-9s mint path / raw signing = %.1f%% (goal >= 90%%); with published-key check = %.1f%%%n",
                    algorithm, 100 * median(ratios), 100 * median(checkedRatios));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
