package dev.keyless.context.context.model;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One restriction of a context: a group, a project or an expression. */
@Entity
@Table(name = "context_restriction")
public class ContextRestriction {

    @Id
    public UUID id;

    @Column(name = "context_id", nullable = false)
    public UUID contextId;

    @Column(nullable = false)
    @Convert(converter = RestrictionKindConverter.class)
    public RestrictionKind kind;

    @Column(nullable = false)
    public String value;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
