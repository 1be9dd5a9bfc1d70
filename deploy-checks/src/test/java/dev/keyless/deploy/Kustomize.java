package dev.keyless.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Renders the overlays of deploy/kubernetes with {@code kubectl kustomize}, once per overlay per test run. */
final class Kustomize {

    private static final Map<String, List<Manifest>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The repository root: the nearest directory above the working directory holding deploy/kubernetes. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy/kubernetes/overlays"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "no deploy/kubernetes/overlays above " + Path.of("").toAbsolutePath());
    }

    static Path kubernetesDir() {
        return repoRoot().resolve("deploy/kubernetes");
    }

    /** Every overlay directory (one holding a kustomization.yaml) under deploy/kubernetes/overlays. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(kubernetesDir().resolve("overlays"))) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                fail("no overlay under " + kubernetesDir().resolve("overlays"));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Manifest> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, Kustomize::run);
    }

    private static List<Manifest> run(String overlay) {
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        Path dir = kubernetesDir().resolve("overlays").resolve(overlay);
        Process process;
        try {
            process = new ProcessBuilder(kubectl, "kustomize", dir.toString()).start();
        } catch (IOException e) {
            return fail("cannot run '" + kubectl + " kustomize': kubectl is required to check the Kubernetes "
                    + "manifests. Install it (Debian: apt-get install kubernetes-client; deploy/local/test.sh does "
                    + "this) or set KUBECTL to its path. Cause: " + e.getMessage());
        }
        try {
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String stdout = read(process.getInputStream());
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return fail("'" + kubectl + " kustomize " + dir + "' did not finish within 2 minutes");
            }
            if (process.exitValue() != 0) {
                return fail("'" + kubectl + " kustomize " + dir + "' failed (exit " + process.exitValue() + "): "
                        + stderr.join());
            }
            List<Manifest> manifests = Manifest.parseAll(overlay, stdout);
            if (manifests.isEmpty()) {
                fail("overlay " + overlay + " rendered no objects");
            }
            return manifests;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in;
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
