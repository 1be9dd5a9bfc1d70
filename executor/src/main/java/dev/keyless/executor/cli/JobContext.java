package dev.keyless.executor.cli;

import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.api.MintedToken;
import dev.keyless.executor.job.TokenRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The job a command inside a job runs for, from the variables {@code executor run} sets in every job:
 * {@code KEYLESS_JOB_ID}, {@code KEYLESS_JOB_NAME}, {@code KEYLESS_ORG_ID}, {@code KEYLESS_ISSUER_URL},
 * {@code KEYLESS_JOB_CREDENTIAL_FILE} and {@code KEYLESS_JOB_DIR}.
 */
record JobContext(UUID jobId, String jobName, String orgId, String issuerUrl, Path credentialFile, Path directory) {

    static JobContext from(Io io) throws UsageException {
        return new JobContext(
                jobId(io),
                io.env().getOrDefault("KEYLESS_JOB_NAME", ""),
                io.requiredVariable("KEYLESS_ORG_ID"),
                io.requiredVariable("KEYLESS_ISSUER_URL"),
                Path.of(io.requiredVariable("KEYLESS_JOB_CREDENTIAL_FILE")),
                Path.of(io.requiredVariable("KEYLESS_JOB_DIR")));
    }

    static UUID jobId(Io io) throws UsageException {
        return uuid(io.requiredVariable("KEYLESS_JOB_ID"), "KEYLESS_JOB_ID");
    }

    static UUID uuid(String value, String what) throws UsageException {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(what + " must be an id (a UUID)");
        }
    }

    /** The job's current credential, from the file the executor keeps fresh (read on every call). */
    static String credential(Io io) throws UsageException {
        String file = io.requiredVariable("KEYLESS_JOB_CREDENTIAL_FILE");
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UsageException("cannot read the job credential file " + file + ": " + e.getMessage());
        }
    }

    MintedToken mint(Io io, String audience, int ttlSeconds)
            throws UsageException, IOException, InterruptedException, ApiException {
        return new KeylessApi().mintToken(issuerUrl, jobId, credential(io), audience, ttlSeconds);
    }

    /** The org's issuer, {@code iss} of every token of this job. */
    String orgIssuer() {
        return (issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl) + "/org/" + orgId;
    }

    /** The issuer without its scheme, as AWS names an OIDC provider and its condition keys. */
    String orgIssuerHost() {
        return orgIssuer().replaceFirst("^https?://", "");
    }

    TokenRegistry registry() {
        return new TokenRegistry(directory);
    }
}
