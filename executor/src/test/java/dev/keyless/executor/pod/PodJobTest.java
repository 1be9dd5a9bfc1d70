package dev.keyless.executor.pod;

import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodJobTest {

    @TempDir
    Path dir;

    @Test
    void theMountedJobAndCredentialMakeTheClaimedJob() throws Exception {
        UUID job = UUID.randomUUID();
        Files.writeString(
                dir.resolve("job.json"),
                "{\"job_id\":\"" + job + "\",\"org_id\":\"" + UUID.randomUUID()
                        + "\",\"project_id\":\"" + UUID.randomUUID() + "\",\"pipeline_id\":\"" + UUID.randomUUID()
                        + "\",\"name\":\"build\",\"command\":\"make\",\"timeout_seconds\":300}");
        Files.writeString(dir.resolve("credential"), "eyJhbGciOiJSUzI1NiJ9.e30.sig\n");

        ClaimedJob claimed = PodJob.read(dir);

        assertEquals(job, claimed.jobId());
        assertEquals("make", claimed.command());
        assertEquals(300, claimed.timeoutSeconds());
        assertEquals("eyJhbGciOiJSUzI1NiJ9.e30.sig", claimed.credential());
        assertFalse(claimed.toString().contains("eyJ"), "the credential stays out of log lines");
    }

    @Test
    void aMissingSecretMountIsAClearUsageError() {
        UsageException error = assertThrows(UsageException.class, () -> PodJob.read(dir.resolve("nothing")));
        assertTrue(error.getMessage().contains("is the job's Secret mounted there?"), error.getMessage());
    }

    @Test
    void anEmptyCredentialOrAMalformedJobIsRefused() throws IOException {
        Files.writeString(dir.resolve("job.json"), "{\"job_id\":\"not-a-uuid\"}");
        Files.writeString(dir.resolve("credential"), "token");
        assertThrows(UsageException.class, () -> PodJob.read(dir));
        Files.writeString(dir.resolve("credential"), "  ");
        assertThrows(UsageException.class, () -> PodJob.read(dir));
    }

    @Test
    void podModeNeedsTheServiceUrlsAndNoExecutorToken() throws UsageException {
        assertThrows(UsageException.class, () -> PodMode.fromEnvironment(Map.of("KEYLESS_SCHEDULER_URL", "http://s")));
        PodMode mode = PodMode.fromEnvironment(Map.of(
                "KEYLESS_SCHEDULER_URL",
                "http://s",
                "KEYLESS_CONTEXT_URL",
                "http://c",
                "KEYLESS_ISSUER_URL",
                "http://i"));
        assertTrue(mode != null);
        assertThrows(
                UsageException.class,
                () -> PodMode.fromEnvironment(Map.of(
                        "KEYLESS_SCHEDULER_URL",
                        "http://s",
                        "KEYLESS_CONTEXT_URL",
                        "http://c",
                        "KEYLESS_ISSUER_URL",
                        "http://i",
                        "KEYLESS_GRACE_SECONDS",
                        "-1")));
    }
}
