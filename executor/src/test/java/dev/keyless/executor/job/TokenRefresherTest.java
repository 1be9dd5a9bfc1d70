package dev.keyless.executor.job;

import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.testing.JobFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRefresherTest {

    private JobFixture job;
    private TokenRegistry registry;
    private Path tokenFile;
    private Instant start;

    @BeforeEach
    void registerATokenFile() throws Exception {
        job = new JobFixture();
        registry = new TokenRegistry(job.files.directory());
        start = Instant.now();
        tokenFile = registry.register("aws-default", mint("sts.amazonaws.com", 60), "sts.amazonaws.com", 60);
    }

    @AfterEach
    void close() throws Exception {
        job.close();
    }

    private String mint(String audience, int ttl) throws Exception {
        return new KeylessApi()
                .mintToken(job.issuer.baseUrl(), job.jobId, JobFixture.CREDENTIAL, audience, ttl)
                .token();
    }

    private TokenRefresher refresher(Instant now, Instant jobEnd) {
        return new TokenRefresher(
                registry,
                (audience, ttl) ->
                        new KeylessApi().mintToken(job.issuer.baseUrl(), job.jobId, job.files.current(), audience, ttl),
                0.5,
                jobEnd,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenFileIsReMintedOnceItsShareOfLifetimeIsUsedAtomicallyAndPrivate() throws Exception {
        String first = Files.readString(tokenFile);
        Instant jobEnd = start.plus(Duration.ofHours(1));
        assertEquals(0, refresher(start.plusSeconds(20), jobEnd).refreshDue(), "not yet half used");
        assertEquals(first, Files.readString(tokenFile));

        assertEquals(1, refresher(start.plusSeconds(32), jobEnd).refreshDue());
        String second = Files.readString(tokenFile);
        assertNotEquals(first, second);
        assertEquals(job.issuer.minted().get(job.issuer.minted().size() - 1), second);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        try (var entries = Files.list(tokenFile.getParent())) {
            assertEquals(
                    List.of("aws-default.json", "aws-default.jwt"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left");
        }
    }

    @Test
    void aTokenThatAlreadyLivesUntilTheJobsEndIsLeftAlone() throws Exception {
        int before = job.issuer.minted().size();
        assertEquals(0, refresher(start.plusSeconds(50), start.plusSeconds(30)).refreshDue());
        assertEquals(before, job.issuer.minted().size());
    }

    @Test
    void aFailedReMintKeepsTheFileAndWaitsBeforeAskingAgain() throws Exception {
        String first = Files.readString(tokenFile);
        Instant jobEnd = start.plus(Duration.ofHours(1));
        MovableClock clock = new MovableClock(start.plusSeconds(40));
        TokenRefresher refresher = new TokenRefresher(
                registry,
                (audience, ttl) ->
                        new KeylessApi().mintToken(job.issuer.baseUrl(), job.jobId, job.files.current(), audience, ttl),
                0.5,
                jobEnd,
                clock);
        job.issuer.failNext(1, 503);
        assertEquals(0, refresher.refreshDue());
        assertEquals(first, Files.readString(tokenFile), "the old token stays until a new one is had");
        int asked = job.issuer.minted().size();
        assertEquals(0, refresher.refreshDue(), "no new attempt within the retry delay");
        clock.advance(TokenRefresher.RETRY.plusSeconds(1));
        assertEquals(1, refresher.refreshDue());
        assertEquals(asked + 1, job.issuer.minted().size());
    }

    @Test
    void aRegistrationCannotMakeTheExecutorWriteOutsideItsTokenDirectory() throws Exception {
        Path tokens = tokenFile.getParent();
        Files.writeString(
                tokens.resolve("evil.json"),
                "{\"token_file\":\"../credential\",\"audience\":\"x\",\"ttl_seconds\":60}");
        Files.writeString(
                tokens.resolve("other.json"),
                "{\"token_file\":\"aws-default.jwt\",\"audience\":\"x\",\"ttl_seconds\":60}");
        Files.writeString(
                tokens.resolve("UPPER.json"), "{\"token_file\":\"UPPER.jwt\",\"audience\":\"x\",\"ttl_seconds\":60}");
        assertEquals(
                List.of("aws-default"),
                registry.registrations().stream()
                        .map(TokenRegistry.Registration::name)
                        .toList());
        refresher(start.plusSeconds(3600 * 2), start.plus(Duration.ofDays(1))).refreshDue();
        assertEquals(JobFixture.CREDENTIAL, Files.readString(job.files.path()), "the credential file is untouched");
    }

    @Test
    void aReaderNeverSeesAHalfWrittenTokenWhileTheFileIsReplaced() throws Exception {
        TokenRefresher alwaysDue = refresher(start.plusSeconds(3600 * 2), start.plus(Duration.ofDays(1)));
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reads = pool.submit(() -> {
                int count = 0;
                while (!done.get()) {
                    String seen = Files.readString(tokenFile);
                    assertTrue(job.issuer.minted().contains(seen), "a torn read of " + seen.length() + " chars");
                    count++;
                }
                return count;
            });
            for (int i = 0; i < 150; i++) {
                assertEquals(1, alwaysDue.refreshDue());
            }
            done.set(true);
            assertTrue(reads.get() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theJobsPrivateDirectoryWithItsTokenFilesIsGoneWhenTheJobEnds() throws Exception {
        Path directory = job.files.directory();
        registry.addMask("hvs.secret");
        job.files.close();
        assertFalse(Files.exists(tokenFile));
        assertFalse(Files.exists(directory));
    }

    /** A clock a test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
