package dev.keyless.executor.pod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.cli.UsageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The job a Pod runs, as the Kubernetes operator hands it over: a directory (the per-job Secret, mounted read-only)
 * holding {@code job.json} (the claim without its credential) and {@code credential} (the job credential as the
 * claim returned it). The credential is never in the Pod's spec or environment.
 */
public final class PodJob {

    static final String JOB_FILE = "job.json";
    static final String CREDENTIAL_FILE = "credential";

    private PodJob() {}

    /** Reads the job in {@code directory}; the result holds the credential (a secret: never log it). */
    public static ClaimedJob read(Path directory) throws UsageException {
        JsonNode job;
        String credential;
        try {
            job = KeylessApi.JSON.readTree(Files.readString(directory.resolve(JOB_FILE), StandardCharsets.UTF_8));
            credential = Files.readString(directory.resolve(CREDENTIAL_FILE), StandardCharsets.US_ASCII)
                    .strip();
        } catch (NoSuchFileException e) {
            throw new UsageException("the job directory " + directory + " lacks " + e.getFile()
                    + ": is the job's Secret mounted there?");
        } catch (IOException e) {
            throw new UsageException("cannot read the job in " + directory + ": " + e.getMessage());
        }
        if (credential.isEmpty()) {
            throw new UsageException("the job credential in " + directory + " is empty");
        }
        uuid(job, "job_id");
        uuid(job, "org_id");
        uuid(job, "project_id");
        text(job, "name");
        text(job, "command");
        // the rest of the claim (steps, environment, image, ...) as the scheduler answered it
        ObjectNode claim = job.deepCopy();
        claim.put("credential", credential);
        try {
            return KeylessApi.JSON.treeToValue(claim, ClaimedJob.class);
        } catch (JsonProcessingException e) {
            throw new UsageException(JOB_FILE + " is not a claim this executor reads: " + e.getOriginalMessage());
        }
    }

    private static UUID uuid(JsonNode job, String field) throws UsageException {
        try {
            return UUID.fromString(text(job, field));
        } catch (IllegalArgumentException e) {
            throw new UsageException(JOB_FILE + ": " + field + " must be an id (a UUID)");
        }
    }

    private static String text(JsonNode job, String field) throws UsageException {
        JsonNode value = job.get(field);
        if (value == null || !value.isTextual()) {
            throw new UsageException(JOB_FILE + ": " + field + " is required");
        }
        return value.asText();
    }
}
