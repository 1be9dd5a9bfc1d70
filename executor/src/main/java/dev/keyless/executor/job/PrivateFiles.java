package dev.keyless.executor.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** Files only the executor's user may read, replaced whole: a reader sees the old content or the new, never half. */
public final class PrivateFiles {

    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private PrivateFiles() {}

    /** Writes {@code content} to a temporary file (0600) beside {@code target}, then renames it over the target. */
    public static void write(Path target, String content) throws IOException {
        Path directory = directory(target.toAbsolutePath().getParent());
        Path next = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", FILE);
        try {
            Files.writeString(next, content, StandardCharsets.UTF_8);
            Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(next);
        }
    }

    /** The directory, created 0700 (with its missing parents) when absent. */
    public static Path directory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Path parent = directory.getParent();
            if (parent != null) {
                directory(parent);
            }
            try {
                Files.createDirectory(directory, DIRECTORY);
            } catch (FileAlreadyExistsException e) {
                // another writer made it first
            }
        }
        return directory;
    }

    public static Path createTempDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(prefix, DIRECTORY);
    }

    /** Deletes the directory and everything in it. */
    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
