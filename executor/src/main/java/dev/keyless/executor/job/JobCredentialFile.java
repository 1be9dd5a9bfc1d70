package dev.keyless.executor.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The job's copy of its credential, for {@code executor oidc get} inside the job. The credential lives a few
 * minutes and the executor renews it with every heartbeat, so the job reads it from this file (named by
 * {@code KEYLESS_JOB_CREDENTIAL_FILE}) rather than from an environment variable that would go stale. The file sits
 * in a directory of its own (mode 0700) outside the job's workspace, is mode 0600, is replaced atomically (a reader
 * never sees half a credential), and is deleted with its directory when the job ends.
 */
public final class JobCredentialFile implements AutoCloseable {

    private final Path directory;
    private final Path file;
    private volatile String current;

    private JobCredentialFile(Path directory, String credential) throws IOException {
        this.directory = directory;
        this.file = directory.resolve("credential");
        write(credential);
    }

    public static JobCredentialFile create(String credential) throws IOException {
        Path directory = Files.createTempDirectory("keyless-credential-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new JobCredentialFile(directory, credential);
    }

    public Path path() {
        return file;
    }

    /** The newest credential (a secret: never log it). */
    public String current() {
        return current;
    }

    /** Keeps {@code renewed} as the job's credential, in memory and in the file. */
    public synchronized void update(String renewed) throws IOException {
        if (!renewed.equals(current)) {
            write(renewed);
        }
    }

    private void write(String credential) throws IOException {
        Path next = Files.createTempFile(directory, "credential-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, credential, StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        current = credential;
    }

    @Override
    public void close() throws IOException {
        try (var entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                Files.deleteIfExists(entry);
            }
        }
        Files.deleteIfExists(directory);
    }
}
