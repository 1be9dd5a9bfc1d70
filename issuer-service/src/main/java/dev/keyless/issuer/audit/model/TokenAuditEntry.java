package dev.keyless.issuer.audit.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A minted token, recorded without the token itself. */
@Entity
@Table(name = "token_audit")
public class TokenAuditEntry extends PanacheEntityBase {

    @Id
    public UUID jti;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    /** {@code v1}, {@code v2} or {@code on_demand}. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String sub;

    @Column(nullable = false)
    public String aud;

    @Column(nullable = false)
    public String kid;

    @Column(nullable = false)
    public String algorithm;

    @Column(nullable = false)
    public Instant iat;

    @Column(nullable = false)
    public Instant exp;
}
