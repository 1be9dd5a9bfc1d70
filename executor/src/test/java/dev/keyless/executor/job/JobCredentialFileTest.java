package dev.keyless.executor.job;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobCredentialFileTest {

    @Test
    void theFileIsPrivateAndHoldsTheNewestCredentialAndIsGoneWhenTheJobEnds() throws Exception {
        Path file;
        try (JobCredentialFile credential = JobCredentialFile.create("first")) {
            file = credential.path();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            assertEquals("first", Files.readString(file));
            credential.update("second");
            assertEquals("second", Files.readString(file));
            assertEquals("second", credential.current());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(file.getParent()));
    }

    @Test
    void aReaderNeverSeesAHalfWrittenCredentialWhileItIsRenewed() throws Exception {
        String a = "a".repeat(4096);
        String b = "b".repeat(4096);
        try (JobCredentialFile credential = JobCredentialFile.create(a)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<Integer> reads = pool.submit(() -> {
                int count = 0;
                while (!done.get()) {
                    String seen = Files.readString(credential.path());
                    assertTrue(seen.equals(a) || seen.equals(b), "a torn read of " + seen.length() + " chars");
                    count++;
                }
                return count;
            });
            for (int i = 0; i < 2000; i++) {
                credential.update(i % 2 == 0 ? b : a);
            }
            done.set(true);
            assertTrue(reads.get() > 0);
            pool.shutdown();
        }
    }

    @Test
    void heartbeatsComeAtLeastThriceAPerCredentialLifetime() {
        String credential =
                "x." + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"iat\":1000,\"exp\":1240}".getBytes())
                        + ".sig";
        assertEquals(10_000, JobRunner.heartbeatMillis(10, credential));
        assertEquals(80_000, JobRunner.heartbeatMillis(600, credential));
        assertEquals(10_000, JobRunner.heartbeatMillis(10, "not-a-jwt"));
    }
}
