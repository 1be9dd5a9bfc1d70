package dev.keyless.context.audit.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Who did what to which context and when, or which job pulled which environment. Never a value. */
@Entity
@Table(name = "audit_record")
public class AuditRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String action;

    @Column(name = "context_id")
    public UUID contextId;

    @Column(name = "job_id")
    public UUID jobId;

    /** JSON object of names (context name, variable names, restriction); never a value. */
    @Column(nullable = false)
    public String detail;
}
