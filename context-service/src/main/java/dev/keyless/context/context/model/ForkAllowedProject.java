package dev.keyless.context.context.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A project whose forked pull-request jobs may use restricted contexts of its org. */
@Entity
@Table(name = "fork_allowed_project")
@IdClass(ForkAllowedProject.Key.class)
public class ForkAllowedProject {

    @Id
    @Column(name = "org_id")
    public UUID orgId;

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Composite key (org, project). */
    public static class Key implements Serializable {
        public UUID orgId;
        public UUID projectId;

        public Key() {}

        public Key(UUID orgId, UUID projectId) {
            this.orgId = orgId;
            this.projectId = projectId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && Objects.equals(orgId, key.orgId)
                    && Objects.equals(projectId, key.projectId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(orgId, projectId);
        }
    }
}
