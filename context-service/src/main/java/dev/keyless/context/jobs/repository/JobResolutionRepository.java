package dev.keyless.context.jobs.repository;

import dev.keyless.context.jobs.model.JobResolution;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class JobResolutionRepository implements PanacheRepositoryBase<JobResolution, UUID> {}
