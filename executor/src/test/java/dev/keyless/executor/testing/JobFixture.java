package dev.keyless.executor.testing;

import dev.keyless.executor.Main;
import dev.keyless.executor.job.JobCredentialFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A job as {@code executor run} sets it up (private directory, credential file, variables), around a LocalIssuer. */
public final class JobFixture implements AutoCloseable {

    public static final String CREDENTIAL = "job-credential-" + UUID.randomUUID();

    public final UUID jobId = UUID.randomUUID();
    public final LocalIssuer issuer;
    public final JobCredentialFile files;

    public JobFixture() throws Exception {
        issuer = new LocalIssuer(CREDENTIAL);
        files = JobCredentialFile.create(CREDENTIAL);
    }

    public Map<String, String> env() {
        return Map.of(
                "KEYLESS_JOB_ID",
                jobId.toString(),
                "KEYLESS_JOB_NAME",
                "deploy",
                "KEYLESS_ORG_ID",
                issuer.orgId().toString(),
                "KEYLESS_ISSUER_URL",
                issuer.baseUrl(),
                "KEYLESS_JOB_CREDENTIAL_FILE",
                files.path().toString(),
                "KEYLESS_JOB_DIR",
                files.directory().toString());
    }

    /** Exit code, stdout and stderr of one command. */
    public record Result(int exitCode, String out, String err) {}

    public Result execute(String... args) {
        return execute(env(), args);
    }

    public static Result execute(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(
                List.of(args),
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        files.close();
        issuer.close();
    }
}
