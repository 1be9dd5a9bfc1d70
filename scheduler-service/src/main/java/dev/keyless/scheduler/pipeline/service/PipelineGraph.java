package dev.keyless.scheduler.pipeline.service;

import dev.keyless.scheduler.pipeline.model.Job;
import dev.keyless.scheduler.pipeline.model.Pipeline;
import dev.keyless.scheduler.pipeline.model.Workflow;

import java.util.List;

/** A pipeline with its workflows and jobs, each list in trigger order. */
public record PipelineGraph(Pipeline pipeline, List<Workflow> workflows, List<Job> jobs) {}
