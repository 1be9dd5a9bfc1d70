-- The claim data of jobs whose contexts were resolved (from JobContextsResolved, never a secret), so any
-- replica can mint a job's tokens. finished_at is set by JobFinished, possibly before the resolution arrives.
CREATE TABLE job_claims (
    job_id          UUID        PRIMARY KEY,
    org_id          UUID        NOT NULL,
    project_id      UUID,
    pipeline_id     UUID,
    workflow_id     UUID,
    user_id         UUID,
    vcs_origin      VARCHAR(500),
    vcs_ref         VARCHAR(500),
    ssh_rerun       BOOLEAN     NOT NULL DEFAULT FALSE,
    context_ids     TEXT,
    timeout_seconds INTEGER,
    resolved_at     TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ
);

-- One row per minted token (never the token itself): lets a security team match a cloud provider's log
-- entry (jti, sub, aud, kid) to the job that caused it.
CREATE TABLE token_audit (
    jti        UUID         PRIMARY KEY,
    org_id     UUID         NOT NULL,
    project_id UUID,
    job_id     UUID         NOT NULL,
    kind       VARCHAR(16)  NOT NULL,
    sub        VARCHAR(1000) NOT NULL,
    aud        VARCHAR(500) NOT NULL,
    kid        VARCHAR(64)  NOT NULL,
    algorithm  VARCHAR(10)  NOT NULL,
    iat        TIMESTAMPTZ  NOT NULL,
    exp        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX token_audit_org_job ON token_audit (org_id, job_id, iat);
CREATE INDEX token_audit_org_iat ON token_audit (org_id, iat);
