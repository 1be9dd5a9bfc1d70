package dev.keyless.credential;

/**
 * The job credential's claims: an RS256 JWT minted by scheduler-service when an executor claims a job.
 * {@code sub} is {@code job/{jobId}}; {@code jti} names the claim (kept when the credential is renewed, so a revoke
 * by id covers every renewal); {@code exp} is a few minutes ahead and moves with each heartbeat, so a credential of
 * an ended job stops working within that lifetime even where the JobFinished event never arrives;
 * {@code job_deadline} is the job's timeout. It authorizes that job's environment, tokens, heartbeats and
 * completion, and nothing once the job has ended.
 */
public final class JobCredentialClaims {

    public static final String ISSUER = "keyless-scheduler";
    public static final String AUDIENCE = "keyless-executor";
    public static final String SUBJECT_PREFIX = "job/";
    public static final String JOB_ID = "job_id";
    public static final String ORG_ID = "org_id";
    public static final String PROJECT_ID = "project_id";
    /** Epoch seconds at which the job's timeout ends. */
    public static final String JOB_DEADLINE = "job_deadline";

    private JobCredentialClaims() {}
}
