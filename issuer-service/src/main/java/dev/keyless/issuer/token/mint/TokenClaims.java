package dev.keyless.issuer.token.mint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the claim set of a job token (DESIGN.md): registered claims with integer times and one {@code aud}
 * string, then the namespaced claims. The V2 subject adds the VCS origin and ref to the V1 subject.
 */
public final class TokenClaims {

    private final String namespace;

    public TokenClaims(String namespace) {
        this.namespace = namespace;
    }

    /** V1 subject: {@code org/{orgId}/project/{projectId}/user/{userId}} (≤ 127 bytes, GCP's subject limit). */
    public static String v1Subject(JobClaimData job) {
        return "org/" + job.orgId() + "/project/" + job.projectId() + "/user/" + job.userId();
    }

    public static String v2Subject(JobClaimData job) {
        return v1Subject(job) + "/vcs-origin/" + job.vcsOrigin() + "/vcs-ref/" + job.vcsRef();
    }

    public static String subject(TokenKind kind, JobClaimData job) {
        return kind == TokenKind.V1 ? v1Subject(job) : v2Subject(job);
    }

    /**
     * The claims of one token, in a stable order.
     *
     * @param issuer   {@code {base}/org/{orgId}}, byte-identical to discovery's {@code issuer}
     * @param audience a single string
     */
    public Map<String, Object> build(
            TokenKind kind,
            JobClaimData job,
            String issuer,
            String audience,
            Instant issuedAt,
            Instant expiresAt,
            UUID jti) {
        return build(job, subject(kind, job), issuer, audience, issuedAt, expiresAt, jti);
    }

    /** The claims of one token whose {@code sub} was chosen by the caller (a subject template). */
    public Map<String, Object> build(
            JobClaimData job,
            String subject,
            String issuer,
            String audience,
            Instant issuedAt,
            Instant expiresAt,
            UUID jti) {
        Map<String, Object> claims = new LinkedHashMap<>(20);
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("nbf", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", jti.toString());
        claims.put(namespace + "/project-id", String.valueOf(job.projectId()));
        List<String> contexts = new ArrayList<>(job.contextIds().size());
        for (UUID context : job.contextIds()) {
            contexts.add(context.toString());
        }
        claims.put(namespace + "/context-ids", contexts);
        claims.put(namespace + "/vcs-origin", job.vcsOrigin());
        claims.put(namespace + "/vcs-ref", job.vcsRef());
        claims.put(namespace + "/ssh-rerun", job.sshRerun());
        claims.put(namespace + "/pipeline-id", String.valueOf(job.pipelineId()));
        claims.put(namespace + "/workflow-id", String.valueOf(job.workflowId()));
        claims.put(namespace + "/job-id", job.jobId().toString());
        return claims;
    }
}
