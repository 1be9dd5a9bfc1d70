-- Credentials of still-running jobs that were revoked when a lost executor's job was queued again
-- (JobCredentialRevoked); the rows of a job go when it finishes, since JobFinished ends all its credentials.
CREATE TABLE revoked_job_credential (
    credential_id  TEXT         PRIMARY KEY,
    job_id         UUID         NOT NULL,
    revoked_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX revoked_job_credential_job ON revoked_job_credential (job_id);
