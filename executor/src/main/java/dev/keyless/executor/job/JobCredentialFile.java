package dev.keyless.executor.job;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The job's private directory ({@code KEYLESS_JOB_DIR}) and the job's copy of its credential in it, for
 * {@code executor oidc get} and the cloud commands inside the job. The credential lives a few minutes and the
 * executor renews it with every heartbeat, so the job reads it from a file (named by
 * {@code KEYLESS_JOB_CREDENTIAL_FILE}) rather than from an environment variable that would go stale. The directory
 * (mode 0700) sits outside the job's workspace and also holds the token files and profiles the cloud commands
 * write ({@link TokenRegistry}); the credential file is mode 0600 and replaced atomically (a reader never sees half
 * a credential); the whole directory is deleted when the job ends.
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
        return new JobCredentialFile(PrivateFiles.createTempDirectory("keyless-credential-"), credential);
    }

    public Path path() {
        return file;
    }

    /** The job's private directory, the credential file's parent. */
    public Path directory() {
        return directory;
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
        PrivateFiles.write(file, credential);
        current = credential;
    }

    @Override
    public void close() throws IOException {
        PrivateFiles.deleteRecursively(directory);
    }
}
