package dev.keyless.scheduler.pipeline.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

@Entity
@Table(name = "workflow")
public class Workflow extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "pipeline_id", nullable = false)
    public UUID pipelineId;

    @Column(nullable = false)
    public String name;

    /** Order of the workflow in the trigger. */
    @Column(nullable = false)
    public int position;
}
