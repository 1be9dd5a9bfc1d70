package dev.keyless.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Key pairs made fresh for one test JVM (never committed): the admin-token key and the job-credential key,
 * written as PEM files for the services' configuration.
 */
public final class TestKeys {

    private static final String COMPLETE = "complete";
    private static final TestKeys INSTANCE = new TestKeys();

    private final KeyPair admin;
    private final KeyPair jobCredential;
    private final KeyPair stranger;
    private final Path directory;

    private TestKeys() {
        try {
            // Quarkus loads test resources and tests in different class loaders (and resets system properties):
            // every instance in this JVM uses the directory named after the process, so all see the same keys
            directory = Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "keyless-test-keys-" + ProcessHandle.current().pid());
            if (!Files.isRegularFile(directory.resolve(COMPLETE))) {
                generate();
            }
            admin = read("admin");
            jobCredential = read("job-credential");
            stranger = read("stranger");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate test keys", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void generate() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path staging = Files.createTempDirectory("keyless-test-keys");
        for (String name : new String[] {"admin", "job-credential", "stranger"}) {
            KeyPair pair = generator.generateKeyPair();
            write(staging, name + "-public.pem", "PUBLIC KEY", pair.getPublic().getEncoded());
            write(
                    staging,
                    name + "-private.pem",
                    "PRIVATE KEY",
                    pair.getPrivate().getEncoded());
        }
        Files.writeString(staging.resolve(COMPLETE), "");
        try {
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another class loader of this JVM was first: its keys are the ones to use
        }
        directory.toFile().deleteOnExit();
        for (String file : new String[] {
            "admin-public.pem",
            "admin-private.pem",
            "job-credential-public.pem",
            "job-credential-private.pem",
            "stranger-public.pem",
            "stranger-private.pem",
            COMPLETE
        }) {
            directory.resolve(file).toFile().deleteOnExit();
        }
    }

    private KeyPair read(String name) throws IOException, GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("RSA");
        return new KeyPair(
                factory.generatePublic(new X509EncodedKeySpec(pem(name + "-public.pem"))),
                factory.generatePrivate(new PKCS8EncodedKeySpec(pem(name + "-private.pem"))));
    }

    private byte[] pem(String name) throws IOException {
        String body = Files.readString(directory.resolve(name))
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    public static TestKeys get() {
        return INSTANCE;
    }

    private static void write(Path directory, String name, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        Files.writeString(
                directory.resolve(name), "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
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
