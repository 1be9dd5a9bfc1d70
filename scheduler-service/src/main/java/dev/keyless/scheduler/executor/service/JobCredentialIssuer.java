package dev.keyless.scheduler.executor.service;

import dev.keyless.credential.JobCredentialClaims;
import dev.keyless.scheduler.pipeline.model.Job;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.PrivateKey;
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

    public JobCredentialIssuer(@ConfigProperty(name = "smallrye.jwt.sign.key.location") String keyLocation) {
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

    /** A credential for the job's current claim, valid until the job's timeout. */
    public Issued issue(Job job, Instant now) {
        String jti = UUID.randomUUID().toString();
        Instant expiresAt = now.plusSeconds(job.timeoutSeconds);
        String token = Jwt.issuer(JobCredentialClaims.ISSUER)
                .audience(JobCredentialClaims.AUDIENCE)
                .subject(JobCredentialClaims.SUBJECT_PREFIX + job.id)
                .claim(JobCredentialClaims.JOB_ID, job.id.toString())
                .claim(JobCredentialClaims.ORG_ID, job.orgId.toString())
                .claim(JobCredentialClaims.PROJECT_ID, job.projectId.toString())
                .claim("jti", jti)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .sign(key);
        return new Issued(token, jti, expiresAt);
    }

    /** The credential (a secret: never log it) and its id. */
    public record Issued(String token, String id, Instant expiresAt) {
    }
}
