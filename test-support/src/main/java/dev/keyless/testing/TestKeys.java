package dev.keyless.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Key pairs made fresh for one test JVM (never committed): the admin-token key and the job-credential key,
 * written as PEM files for the services' configuration.
 */
public final class TestKeys {

    private static final TestKeys INSTANCE = new TestKeys();

    private final KeyPair admin;
    private final KeyPair jobCredential;
    private final KeyPair stranger;
    private final Path directory;

    private TestKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            admin = generator.generateKeyPair();
            jobCredential = generator.generateKeyPair();
            stranger = generator.generateKeyPair();
            directory = Files.createTempDirectory("keyless-test-keys");
            directory.toFile().deleteOnExit();
            write("admin-public.pem", "PUBLIC KEY", admin.getPublic().getEncoded());
            write("admin-private.pem", "PRIVATE KEY", admin.getPrivate().getEncoded());
            write("job-credential-public.pem", "PUBLIC KEY", jobCredential.getPublic().getEncoded());
            write("job-credential-private.pem", "PRIVATE KEY", jobCredential.getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate test keys", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestKeys get() {
        return INSTANCE;
    }

    private void write(String name, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        Path file = directory.resolve(name);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        file.toFile().deleteOnExit();
    }

    /** Signs admin tokens; services verify them with {@link #adminPublicKeyPath()}. */
    public KeyPair admin() {
        return admin;
    }

    /** Signs job credentials (scheduler-service); the other services verify with {@link #jobCredentialPublicKeyPath()}. */
    public KeyPair jobCredential() {
        return jobCredential;
    }

    /** A key no service trusts, for forged tokens. */
    public KeyPair stranger() {
        return stranger;
    }

    public Path adminPublicKeyPath() {
        return directory.resolve("admin-public.pem");
    }

    public Path adminPrivateKeyPath() {
        return directory.resolve("admin-private.pem");
    }

    public Path jobCredentialPublicKeyPath() {
        return directory.resolve("job-credential-public.pem");
    }

    public Path jobCredentialPrivateKeyPath() {
        return directory.resolve("job-credential-private.pem");
    }
}
