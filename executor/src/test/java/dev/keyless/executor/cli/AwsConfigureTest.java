package dev.keyless.executor.cli;

import dev.keyless.executor.Main;
import dev.keyless.executor.cloud.AwsProfiles;
import dev.keyless.executor.testing.JobFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsConfigureTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/keyless-deploy";

    private JobFixture job;

    @BeforeEach
    void start() throws Exception {
        job = new JobFixture();
    }

    @AfterEach
    void stop() throws Exception {
        job.close();
    }

    @Test
    void writesAProfileWithARoleATokenFileAndASessionNameOfTheJobAndPrintsItsExports() throws Exception {
        JobFixture.Result result = job.execute("aws", "configure", "--role-arn", ROLE, "--duration", "1800");
        assertEquals(0, result.exitCode(), result.err());
        Path aws = job.files.directory().resolve("aws");
        Path tokenFile = job.files.directory().resolve("tokens/aws-default.jwt");
        assertEquals(
                "export AWS_CONFIG_FILE='" + aws.resolve("config") + "'\n"
                        + "export AWS_SHARED_CREDENTIALS_FILE='" + aws.resolve("credentials") + "'\n"
                        + "export AWS_SDK_LOAD_CONFIG='1'\n",
                result.out());
        assertEquals(
                "[default]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + tokenFile
                        + "\nrole_session_name = keyless-deploy-" + job.jobId + "\nduration_seconds = 1800\n",
                Files.readString(aws.resolve("config")));
        assertEquals(job.issuer.minted().get(0), Files.readString(tokenFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(aws.resolve("config"))));
        assertTrue(result.err().contains("on the AWS side"), result.err());
        assertFalse(result.out().contains("eyJ") || result.err().contains("eyJ"), "no token is printed");
    }

    @Test
    void aSecondProfileKeepsTheFirstAndIsExportedAsAwsProfile() throws Exception {
        assertEquals(0, job.execute("aws", "configure", "--role-arn", ROLE).exitCode());
        JobFixture.Result result = job.execute(
                "aws",
                "configure",
                "--role-arn",
                "arn:aws:iam::210987654321:role/audit",
                "--profile",
                "audit",
                "--session-name",
                "nightly-audit",
                "--region",
                "eu-west-1");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().endsWith("export AWS_PROFILE='audit'\n"), result.out());
        String config = Files.readString(job.files.directory().resolve("aws/config"));
        assertTrue(config.startsWith("[default]\nrole_arn = " + ROLE + "\n"), config);
        assertTrue(
                config.contains("\n[profile audit]\nrole_arn = arn:aws:iam::210987654321:role/audit\n"
                        + "web_identity_token_file = " + job.files.directory().resolve("tokens/aws-audit.jwt")
                        + "\nrole_session_name = nightly-audit\nregion = eu-west-1\n"),
                config);
    }

    @Test
    void theDefaultSessionNameKeepsTheJobIdAndFitsAwsRule() {
        UUID id = UUID.randomUUID();
        String longName = AwsProfiles.sessionName("deploy to production (eu-west-1) with a very long job name", id);
        assertEquals(64, longName.length());
        assertTrue(longName.endsWith("-" + id));
        assertTrue(AwsProfiles.SESSION_NAME.matcher(longName).matches(), longName);
        assertEquals("keyless-" + id, AwsProfiles.sessionName("", id));
    }

    @Test
    void badArgumentsAreUsageErrorsAndOutsideAJobNothingIsWritten() {
        assertEquals(
                Main.USAGE,
                job.execute("aws", "configure", "--role-arn", "arn:aws:s3:::bucket")
                        .exitCode());
        assertEquals(
                Main.USAGE,
                job.execute("aws", "configure", "--role-arn", ROLE, "--session-name", "x")
                        .exitCode());
        assertEquals(
                Main.USAGE,
                job.execute("aws", "configure", "--role-arn", ROLE, "--duration", "60")
                        .exitCode());
        assertEquals(
                Main.USAGE,
                job.execute("aws", "configure", "--role-arn", ROLE, "--profile", "a b")
                        .exitCode());
        assertEquals(
                Main.USAGE,
                JobFixture.execute(Map.of(), "aws", "configure", "--role-arn", ROLE)
                        .exitCode());
        assertFalse(Files.exists(job.files.directory().resolve("aws")));
    }

    @Test
    void aRefusedMintIsAFailureAndWritesNoProfile() {
        job.issuer.failNext(1, 429);
        JobFixture.Result result = job.execute("aws", "configure", "--role-arn", ROLE);
        assertEquals(Main.FAILURE, result.exitCode());
        assertTrue(result.err().contains("429"), result.err());
        assertFalse(Files.exists(job.files.directory().resolve("aws")));
    }
}
