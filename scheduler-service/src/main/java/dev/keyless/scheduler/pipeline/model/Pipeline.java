package dev.keyless.scheduler.pipeline.model;

import dev.keyless.messaging.persistence.StringListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "pipeline")
public class Pipeline extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    /** The triggering user's group names at trigger time. */
    @Convert(converter = StringListConverter.class)
    @Column(name = "actor_groups", nullable = false)
    public List<String> actorGroups;

    @Column(name = "vcs_origin", nullable = false)
    public String vcsOrigin;

    @Column(name = "vcs_ref", nullable = false)
    public String vcsRef;

    @Column(nullable = false)
    public String revision;

    @Column(name = "trigger_source", nullable = false)
    public String triggerSource;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the trigger request, to tell a retry from a different request reusing a key. */
    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
