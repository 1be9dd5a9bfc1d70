CREATE TABLE org (
    id         UUID PRIMARY KEY,
    name       VARCHAR(100) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE project (
    id         UUID PRIMARY KEY,
    org_id     UUID         NOT NULL REFERENCES org (id),
    name       VARCHAR(100) NOT NULL,
    vcs_origin VARCHAR(255) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE org_group (
    id         UUID PRIMARY KEY,
    org_id     UUID         NOT NULL REFERENCES org (id),
    name       VARCHAR(100) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE org_user (
    id         UUID PRIMARY KEY,
    org_id     UUID         NOT NULL REFERENCES org (id),
    name       VARCHAR(100) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE group_membership (
    id       UUID PRIMARY KEY,
    user_id  UUID NOT NULL REFERENCES org_user (id),
    group_id UUID NOT NULL REFERENCES org_group (id),
    UNIQUE (user_id, group_id)
);

CREATE TABLE pipeline (
    id              UUID PRIMARY KEY,
    org_id          UUID         NOT NULL REFERENCES org (id),
    project_id      UUID         NOT NULL REFERENCES project (id),
    user_id         UUID         NOT NULL REFERENCES org_user (id),
    -- group names of the user when the pipeline was triggered: every job's JobStarted carries the same
    actor_groups    TEXT         NOT NULL,
    vcs_origin      VARCHAR(255) NOT NULL,
    vcs_ref         VARCHAR(300) NOT NULL,
    revision        VARCHAR(100) NOT NULL,
    trigger_source  VARCHAR(30)  NOT NULL,
    idempotency_key VARCHAR(200),
    request_hash    VARCHAR(64),
    created_at      TIMESTAMPTZ  NOT NULL,
    UNIQUE (project_id, idempotency_key)
);

CREATE TABLE workflow (
    id          UUID PRIMARY KEY,
    pipeline_id UUID         NOT NULL REFERENCES pipeline (id),
    name        VARCHAR(100) NOT NULL,
    position    INTEGER      NOT NULL,
    UNIQUE (pipeline_id, name)
);

CREATE TABLE job (
    id                UUID PRIMARY KEY,
    org_id            UUID         NOT NULL REFERENCES org (id),
    project_id        UUID         NOT NULL REFERENCES project (id),
    pipeline_id       UUID         NOT NULL REFERENCES pipeline (id),
    workflow_id       UUID         NOT NULL REFERENCES workflow (id),
    name              VARCHAR(100) NOT NULL,
    position          INTEGER      NOT NULL,
    command           TEXT         NOT NULL,
    contexts          TEXT         NOT NULL,
    requires          TEXT         NOT NULL,
    ssh_rerun         BOOLEAN      NOT NULL,
    timeout_seconds   INTEGER      NOT NULL,
    status            VARCHAR(20)  NOT NULL,
    status_reason     VARCHAR(1000),
    exit_code         INTEGER,
    contexts_resolved BOOLEAN      NOT NULL DEFAULT FALSE,
    context_ids       TEXT,
    credential_id     VARCHAR(64),
    claims            INTEGER      NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ  NOT NULL,
    queued_at         TIMESTAMPTZ,
    started_at        TIMESTAMPTZ,
    last_heartbeat_at TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    UNIQUE (workflow_id, name)
);

-- claim: the oldest claimable job first
CREATE INDEX job_claimable ON job (queued_at, id) WHERE status = 'queued' AND contexts_resolved;
-- reaper: running jobs only
CREATE INDEX job_running ON job (started_at) WHERE status = 'running';
CREATE INDEX job_pipeline ON job (pipeline_id);
