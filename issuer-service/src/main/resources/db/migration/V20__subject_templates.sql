-- Subject templates (issue 13): every change is a new version row, never an update, so the table is also the audit
-- trail of who changed what and when it takes effect. project_id NULL is the org's template; a project's own
-- versions override it. claim_keys is the ordered, comma-separated key list; empty means the default V2 subject.
CREATE TABLE subject_template (
    id          UUID          PRIMARY KEY,
    org_id      UUID          NOT NULL,
    project_id  UUID,
    version     INTEGER       NOT NULL,
    claim_keys  VARCHAR(1000) NOT NULL,
    activate_at TIMESTAMPTZ   NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    created_by  VARCHAR(300)  NOT NULL
);
-- one version number per scope: two admins saving at once cannot both get the same version
CREATE UNIQUE INDEX subject_template_scope_version
    ON subject_template (org_id, COALESCE(project_id, '00000000-0000-0000-0000-000000000000'::uuid), version);

-- the claims preview and template checks read a project's recent jobs
CREATE INDEX job_claims_project_resolved ON job_claims (project_id, resolved_at);
CREATE INDEX job_claims_org_resolved ON job_claims (org_id, resolved_at);
