package dev.keyless.issuer.trust.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One version of an org's (or a project's) subject template; rows are only ever inserted. */
@Entity
@Table(name = "subject_template")
public class SubjectTemplateEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    /** Null for the org's template. */
    @Column(name = "project_id")
    public UUID projectId;

    @Column(nullable = false)
    public int version;

    /** Comma-separated keys in order; empty for the default subject. */
    @Column(name = "claim_keys", nullable = false)
    public String claimKeys;

    @Column(name = "activate_at", nullable = false)
    public Instant activateAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
