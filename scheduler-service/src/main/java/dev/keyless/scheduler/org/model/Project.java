package dev.keyless.scheduler.org.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "project")
public class Project extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(nullable = false)
    public String name;

    /** Like {@code github.com/acme/app}; part of the V2 token subject. */
    @Column(name = "vcs_origin", nullable = false)
    public String vcsOrigin;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
