package dev.keyless.context.context.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A variable of a context; only its AES-GCM ciphertext is stored. */
@Entity
@Table(name = "context_variable")
public class ContextVariable {

    @Id
    public UUID id;

    @Column(name = "context_id", nullable = false)
    public UUID contextId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public byte[] ciphertext;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
