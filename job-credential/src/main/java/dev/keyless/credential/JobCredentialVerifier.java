package dev.keyless.credential;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Verifies job credentials with SmallRye JWT: RS256 only (so {@code alg: none} and HS256 key confusion fail),
 * the configured issuer and audience, {@code exp} and {@code nbf}, a {@code jti}, and that the credential names the
 * job the request addresses. Whether the job is still running is the caller's check: each service learns it from
 * JobFinished.
 */
@ApplicationScoped
public class JobCredentialVerifier {

    private static final String BEARER = "Bearer ";

    private final DefaultJWTParser parser;

    public JobCredentialVerifier(JobCredentialConfig config) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(loadKey(config.publicKeyLocation()), config.issuer());
        info.setExpectedAudience(Set.of(config.audience()));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        info.setClockSkew(config.clockSkewSeconds());
        info.setRequireNamedPrincipal(true);
        this.parser = new DefaultJWTParser(info);
    }

    private static PublicKey loadKey(String location) {
        try {
            String pem = ResourceUtils.readResource(location);
            if (pem == null) {
                throw new IllegalStateException("job-credential public key not found at " + location);
            }
            return KeyUtils.decodePublicKey(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job-credential public key at " + location, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the job-credential public key at " + location + " is not a public key", e);
        }
    }

    /**
     * Verifies the {@code Authorization} header value for a request about {@code jobId}.
     *
     * @throws InvalidJobCredentialException when missing, malformed, expired, badly signed, or for another job
     */
    public JobCredential verify(String authorization, UUID jobId) {
        JobCredential credential = verify(authorization);
        if (!credential.jobId().equals(jobId)) {
            throw new InvalidJobCredentialException("the job credential belongs to another job", true);
        }
        return credential;
    }

    /** Verifies the {@code Authorization} header value whatever job it names. */
    public JobCredential verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new InvalidJobCredentialException("a job credential is required (Authorization: Bearer)", false);
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(authorization.substring(BEARER.length()).trim());
        } catch (ParseException e) {
            throw new InvalidJobCredentialException("the job credential is invalid or expired", false);
        }
        UUID jobId = uuidClaim(jwt, JobCredentialClaims.JOB_ID);
        UUID orgId = uuidClaim(jwt, JobCredentialClaims.ORG_ID);
        if (!(JobCredentialClaims.SUBJECT_PREFIX + jobId).equals(jwt.getSubject())) {
            throw new InvalidJobCredentialException("the job credential is invalid or expired", false);
        }
        // a credential is revoked by its id (JobCredentialRevoked), so one without an id is never accepted
        if (jwt.getTokenID() == null || jwt.getTokenID().isBlank()) {
            throw new InvalidJobCredentialException("the job credential is invalid or expired", false);
        }
        String project = jwt.getClaim(JobCredentialClaims.PROJECT_ID);
        UUID projectId = project == null ? null : parseUuid(project);
        Instant expiresAt = Instant.ofEpochSecond(jwt.getExpirationTime());
        return new JobCredential(jobId, orgId, projectId, jwt.getTokenID(), expiresAt, jobDeadline(jwt, expiresAt));
    }

    private static Instant jobDeadline(JsonWebToken jwt, Instant expiresAt) {
        Object value = jwt.getClaim(JobCredentialClaims.JOB_DEADLINE);
        if (value == null) {
            return expiresAt;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(value.toString()));
        } catch (NumberFormatException e) {
            throw new InvalidJobCredentialException("the job credential is invalid or expired", false);
        }
    }

    private static UUID uuidClaim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value == null) {
            throw new InvalidJobCredentialException("the job credential is invalid or expired", false);
        }
        return parseUuid(value.toString());
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value.replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidJobCredentialException("the job credential is invalid or expired", false);
        }
    }
}
