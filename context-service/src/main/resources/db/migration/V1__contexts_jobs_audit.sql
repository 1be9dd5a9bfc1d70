-- Contexts of an organization. data_key is the context's AES-256 data key wrapped (AES-GCM) by the
-- key-encryption key named kek_id; rotating the KEK rewrites only these two columns.
CREATE TABLE context (
    id          UUID         PRIMARY KEY,
    org_id      UUID         NOT NULL,
    name        VARCHAR(100) NOT NULL,
    data_key    BYTEA        NOT NULL,
    kek_id      VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT context_name_unique_in_org UNIQUE (org_id, name)
);

-- Variable values are AES-GCM ciphertext (nonce || ciphertext || tag) under the context's data key, with the
-- context id and variable name as associated data: a row copied to another slot does not decrypt.
CREATE TABLE context_variable (
    id          UUID         PRIMARY KEY,
    context_id  UUID         NOT NULL REFERENCES context (id) ON DELETE CASCADE,
    name        VARCHAR(128) NOT NULL,
    ciphertext  BYTEA        NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    updated_by  VARCHAR(200) NOT NULL,
    CONSTRAINT context_variable_name_unique UNIQUE (context_id, name)
);

-- kind: group (value = group name), project (value = project id), expression (value = CEL source)
CREATE TABLE context_restriction (
    id          UUID          PRIMARY KEY,
    context_id  UUID          NOT NULL REFERENCES context (id) ON DELETE CASCADE,
    kind        VARCHAR(20)   NOT NULL,
    value       VARCHAR(2000) NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    created_by  VARCHAR(200)  NOT NULL,
    CONSTRAINT context_restriction_unique UNIQUE (context_id, kind, value)
);
CREATE INDEX context_restriction_context ON context_restriction (context_id);

-- Projects whose forked pull-request jobs may use restricted contexts.
CREATE TABLE fork_allowed_project (
    org_id      UUID        NOT NULL,
    project_id  UUID        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, project_id)
);

-- One row per job: the outcome of resolving its contexts and the job facts restrictions are evaluated on
-- (kept so the environment endpoint re-checks restrictions at pull time). Never a secret.
CREATE TABLE job_resolution (
    job_id          UUID          PRIMARY KEY,
    org_id          UUID          NOT NULL,
    project_id      UUID,
    pipeline_id     UUID,
    workflow_id     UUID,
    job_name        VARCHAR(200),
    user_id         UUID,
    actor_groups    TEXT          NOT NULL DEFAULT '[]',
    vcs_origin      VARCHAR(500),
    vcs_ref         VARCHAR(500),
    revision        VARCHAR(100),
    trigger_source  VARCHAR(50),
    ssh_rerun       BOOLEAN       NOT NULL DEFAULT FALSE,
    context_names   TEXT          NOT NULL DEFAULT '[]',
    context_ids     TEXT          NOT NULL DEFAULT '[]',
    state           VARCHAR(20)   NOT NULL,
    denied_reason   VARCHAR(1000),
    resolved_at     TIMESTAMPTZ   NOT NULL,
    finished_at     TIMESTAMPTZ
);

-- Who changed what and when, and every environment pull. Never a value.
CREATE TABLE audit_record (
    id            BIGSERIAL     PRIMARY KEY,
    org_id        UUID          NOT NULL,
    occurred_at   TIMESTAMPTZ   NOT NULL,
    actor         VARCHAR(200)  NOT NULL,
    action        VARCHAR(60)   NOT NULL,
    context_id    UUID,
    job_id        UUID,
    detail        TEXT          NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_record_org ON audit_record (org_id, id DESC);
