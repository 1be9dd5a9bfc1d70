package dev.keyless.executor.job;

import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.JobEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProcessEnvironmentTest {

    private static final Path CREDENTIAL_FILE = Path.of("/tmp/keyless-credential-x/credential");

    private final ClaimedJob job = new ClaimedJob(
            UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "deploy", "env", 600, "credential-value");

    @Test
    void neverPassesTheExecutorsOwnSecretsToTheJob() {
        Map<String, String> inherited = Map.of(
                "PATH",
                "/usr/bin",
                "HOME",
                "/home/ci",
                "KEYLESS_EXECUTOR_TOKEN",
                "executor-secret",
                "AWS_SECRET_ACCESS_KEY",
                "leak");
        Map<String, String> env = ProcessEnvironment.build(
                inherited,
                job,
                new JobEnvironment(job.jobId(), Map.of(), List.of()),
                "http://issuer",
                Path.of("/tmp/bin"),
                CREDENTIAL_FILE,
                CREDENTIAL_FILE.getParent());
        assertFalse(env.containsKey("KEYLESS_EXECUTOR_TOKEN"));
        assertFalse(env.containsKey("AWS_SECRET_ACCESS_KEY"));
        assertEquals("/home/ci", env.get("HOME"));
    }

    @Test
    void holdsTheJobVariablesAndWhatExecutorOidcGetNeeds() {
        Map<String, String> env = ProcessEnvironment.build(
                Map.of("PATH", "/usr/bin"),
                job,
                new JobEnvironment(job.jobId(), Map.of("DB_PASSWORD", "s3cr3t", "CIRCLE_OIDC_TOKEN", "t1"), List.of()),
                "http://issuer",
                Path.of("/tmp/bin"),
                CREDENTIAL_FILE,
                CREDENTIAL_FILE.getParent());
        assertEquals("s3cr3t", env.get("DB_PASSWORD"));
        assertEquals("t1", env.get("CIRCLE_OIDC_TOKEN"));
        assertEquals(job.jobId().toString(), env.get("KEYLESS_JOB_ID"));
        assertEquals(CREDENTIAL_FILE.toString(), env.get("KEYLESS_JOB_CREDENTIAL_FILE"));
        assertFalse(env.containsValue("credential-value"), "the short-lived credential is passed as a file only");
        assertEquals("http://issuer", env.get("KEYLESS_ISSUER_URL"));
        assertEquals(job.orgId().toString(), env.get("KEYLESS_ORG_ID"));
        assertEquals("/tmp/bin:/usr/bin", env.get("PATH"));
    }

    @Test
    void aJobVariableCannotReplaceTheJobCredentialOrDropTheExecutorCommand() {
        Map<String, String> env = ProcessEnvironment.build(
                Map.of("PATH", "/usr/bin"),
                job,
                new JobEnvironment(
                        job.jobId(),
                        Map.of(
                                "KEYLESS_JOB_CREDENTIAL",
                                "forged",
                                "KEYLESS_JOB_CREDENTIAL_FILE",
                                "/tmp/forged",
                                "KEYLESS_JOB_DIR",
                                "/tmp/forged-dir",
                                "PATH",
                                "/opt/bin",
                                "BAD-NAME",
                                "x"),
                        List.of()),
                "http://issuer",
                Path.of("/tmp/bin"),
                CREDENTIAL_FILE,
                CREDENTIAL_FILE.getParent());
        assertFalse(env.containsKey("KEYLESS_JOB_CREDENTIAL"));
        assertEquals(CREDENTIAL_FILE.toString(), env.get("KEYLESS_JOB_CREDENTIAL_FILE"));
        assertEquals(CREDENTIAL_FILE.getParent().toString(), env.get("KEYLESS_JOB_DIR"));
        assertEquals("/tmp/bin:/opt/bin", env.get("PATH"));
        assertFalse(env.containsKey("BAD-NAME"));
    }

    @Test
    void neitherAConfigsJobNorStepEnvironmentCanRedirectTheExecutorsOwnVariables() {
        Map<String, String> forged = Map.of(
                "KEYLESS_JOB_CREDENTIAL",
                "forged",
                "KEYLESS_JOB_CREDENTIAL_FILE",
                "/tmp/forged",
                "KEYLESS_JOB_DIR",
                "/tmp/forged-dir",
                "KEYLESS_ISSUER_URL",
                "http://evil",
                "PATH",
                "/opt/bin");
        ClaimedJob fromConfig = new ClaimedJob(
                job.jobId(),
                job.orgId(),
                job.projectId(),
                "deploy",
                "env",
                600,
                "credential-value",
                List.of(),
                forged,
                forged,
                null,
                null,
                null,
                null);
        Map<String, String> env = ProcessEnvironment.build(
                Map.of("PATH", "/usr/bin"),
                fromConfig,
                new JobEnvironment(job.jobId(), Map.of(), List.of()),
                forged,
                "http://issuer",
                Path.of("/tmp/bin"),
                CREDENTIAL_FILE,
                CREDENTIAL_FILE.getParent());
        assertFalse(env.containsKey("KEYLESS_JOB_CREDENTIAL"));
        assertEquals(CREDENTIAL_FILE.toString(), env.get("KEYLESS_JOB_CREDENTIAL_FILE"));
        assertEquals(CREDENTIAL_FILE.getParent().toString(), env.get("KEYLESS_JOB_DIR"));
        assertEquals("http://issuer", env.get("KEYLESS_ISSUER_URL"));
        assertEquals("/tmp/bin:/opt/bin", env.get("PATH"), "the executor command stays first on PATH");
    }
}
