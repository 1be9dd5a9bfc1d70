package dev.keyless.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system, ms, from /proc) of every part of the platform at one instant: each service platform.sh
 * recorded a pid for in KEYLESS_HOME/run (and, of it, its JIT compiler threads), PostgreSQL (every {@code postgres}
 * process), the Kafka broker, this load tool, and the whole machine. Two samples give the CPU each part spent per
 * job in between, which shows where the floor of a 2-core machine is.
 */
record CpuSample(Map<String, Long> parts, Map<String, Long> jit, long machineBusy, long machineTotal, long nanos) {

    /** /proc counts in USER_HZ, 100 per second on Linux. */
    private static final long MILLIS_PER_TICK = 10;

    static CpuSample take() {
        Map<String, Long> parts = new LinkedHashMap<>();
        Map<String, Long> jit = new LinkedHashMap<>();
        Path run = Path.of(
                System.getenv().getOrDefault("KEYLESS_HOME", System.getProperty("user.home") + "/.keyless"), "run");
        try (Stream<Path> pidFiles = Files.list(run)) {
            for (Path pidFile : pidFiles.filter(file -> file.toString().endsWith(".pid"))
                    .sorted()
                    .toList()) {
                String name = pidFile.getFileName().toString().replace(".pid", "");
                String pid = Files.readString(pidFile).trim();
                parts.put(name, processMillis(pid));
                jit.put(name, compilerThreadMillis(pid));
            }
        } catch (Exception e) {
            // no pid files: a platform not started by platform.sh; the other parts are still shown
        }
        long postgres = 0;
        long kafka = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                String pid = process.getFileName().toString();
                String comm = read(process.resolve("comm")).trim();
                if (comm.equals("postgres")) {
                    postgres += processMillis(pid);
                } else if (comm.equals("java")
                        && read(process.resolve("cmdline")).contains("kafka.Kafka")) {
                    kafka += processMillis(pid);
                }
            }
        } catch (Exception e) {
            // /proc unreadable: the parts found so far are shown
        }
        parts.put("postgres", postgres);
        parts.put("kafka", kafka);
        parts.put(
                "load-tool",
                processMillis(String.valueOf(ProcessHandle.current().pid())));
        long[] machine = machineTicks();
        return new CpuSample(parts, jit, machine[0], machine[1], System.nanoTime());
    }

    /** CPU per job of each part between {@code before} and this sample, and how busy the machine was. */
    String since(CpuSample before, int jobs) {
        StringBuilder text = new StringBuilder("CPU per job served:");
        parts.forEach((name, after) -> {
            text.append(
                    String.format(" %s %.1f ms", name, (after - before.parts.getOrDefault(name, 0L)) / (double) jobs));
            Long jitAfter = jit.get(name);
            if (jitAfter != null) {
                text.append(
                        String.format(" (JIT %.1f)", (jitAfter - before.jit.getOrDefault(name, 0L)) / (double) jobs));
            }
            text.append(',');
        });
        text.setLength(text.length() - 1);
        long total = machineTotal - before.machineTotal;
        text.append(String.format(
                "%nmachine busy %.0f %% of %d cores over %.1f s",
                total == 0 ? 0 : 100.0 * (machineBusy - before.machineBusy) / total,
                Runtime.getRuntime().availableProcessors(),
                (nanos - before.nanos) / 1e9));
        return text.toString();
    }

    private static long processMillis(String pid) {
        return statMillis(read(Path.of("/proc", pid, "stat")));
    }

    /** The C1 and C2 compiler threads of a JVM, which HotSpot names "C1 CompilerThre..." and "C2 CompilerThre...". */
    private static long compilerThreadMillis(String pid) {
        long millis = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks.toList()) {
                if (read(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                    millis += statMillis(read(task.resolve("stat")));
                }
            }
        } catch (Exception e) {
            // the process ended: counted as none
        }
        return millis;
    }

    private static long statMillis(String stat) {
        if (stat.isEmpty()) {
            return 0;
        }
        // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
    }

    /** Busy and total ticks of all cores: the first line of /proc/stat, idle and iowait counting as not busy. */
    private static long[] machineTicks() {
        String[] cpu = read(Path.of("/proc/stat"))
                .lines()
                .findFirst()
                .orElse("cpu")
                .trim()
                .split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            long ticks = Long.parseLong(cpu[i]);
            total += ticks;
            if (i == 4 || i == 5) {
                idle += ticks;
            }
        }
        return new long[] {total - idle, total};
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
