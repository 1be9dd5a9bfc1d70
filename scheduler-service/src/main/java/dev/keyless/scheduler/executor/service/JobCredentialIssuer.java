package dev.keyless.scheduler.executor.service;

import dev.keyless.credential.JobCredentialClaims;
import dev.keyless.scheduler.config.SchedulerConfig;
import dev.keyless.scheduler.pipeline.model.Job;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Mints job credentials with SmallRye JWT build. The signing key is read once at startup, so no request reads
 * a file on the event loop.
 */
@Startup
@ApplicationScoped
public class JobCredentialIssuer {

    private final PrivateKey key;
    private final Duration lifetime;

    public JobCredentialIssuer(
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") String keyLocation, SchedulerConfig config) {
        this.lifetime = config.credentialLifetime();
        java.security.Key read;
        try {
            read = KeyUtils.readSigningKey(keyLocation, null, SignatureAlgorithm.RS256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the job-credential signing key at " + keyLocation, e);
        }
        if (!(read instanceof PrivateKey privateKey)) {
            throw new IllegalStateException("no RSA private key for job credentials at " + keyLocation);
        }
        this.key = privateKey;
    }

    /** A credential for a new claim of the job (a new id), valid for the credential lifetime. */
    public Issued issue(Job job, Instant now) {
        return sign(job, UUID.randomUUID().toString(), now);
    }

    /** The current claim's credential again, with a later expiry: same id, so revoking the claim covers it. */
    public Issued renew(Job job, Instant now) {
        return sign(job, job.credentialId, now);
    }

    /** Expires after the credential lifetime, never after the job's timeout. */
    private Issued sign(Job job, String jti, Instant now) {
        Instant deadline = job.startedAt.plusSeconds(job.timeoutSeconds);
        Instant renewed = now.plus(lifetime);
        Instant expiresAt = renewed.isBefore(deadline) ? renewed : deadline;
        String token = Jwt.issuer(JobCredentialClaims.ISSUER)
                .audience(JobCredentialClaims.AUDIENCE)
                .subject(JobCredentialClaims.SUBJECT_PREFIX + job.id)
                .claim(JobCredentialClaims.JOB_ID, job.id.toString())
                .claim(JobCredentialClaims.ORG_ID, job.orgId.toString())
                .claim(JobCredentialClaims.PROJECT_ID, job.projectId.toString())
                .claim(JobCredentialClaims.JOB_DEADLINE, deadline.getEpochSecond())
                .claim("jti", jti)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .sign(key);
        return new Issued(token, jti, expiresAt);
    }

    /** The credential (a secret: never log it) and its id. */
    public record Issued(String token, String id, Instant expiresAt) {}
}
