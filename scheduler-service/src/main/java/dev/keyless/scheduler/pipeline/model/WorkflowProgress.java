package dev.keyless.scheduler.pipeline.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what the blocked jobs of a workflow become, given the states of the jobs they require: queued once
 * every requirement succeeded, not_run as soon as one ended any other way. Pure; apply the steps and ask again
 * until there are none (a not_run job makes its own dependents not_run).
 */
public final class WorkflowProgress {

    private static final Set<JobStatus> UNSUCCESSFUL =
            EnumSet.of(JobStatus.FAILED, JobStatus.UNAUTHORIZED, JobStatus.CANCELED, JobStatus.NOT_RUN);

    public record Step(Job job, JobStatus to, String reason) {}

    private WorkflowProgress() {}

    public static List<Step> next(List<Job> workflowJobs) {
        Map<String, Job> byName = workflowJobs.stream().collect(Collectors.toMap(job -> job.name, Function.identity()));
        List<Step> steps = new ArrayList<>();
        for (Job job : workflowJobs) {
            if (job.status != JobStatus.BLOCKED) {
                continue;
            }
            Optional<Job> failedRequirement = job.requires.stream()
                    .map(byName::get)
                    .filter(required -> UNSUCCESSFUL.contains(required.status))
                    .findFirst();
            if (failedRequirement.isPresent()) {
                Job required = failedRequirement.get();
                steps.add(new Step(
                        job,
                        JobStatus.NOT_RUN,
                        "required job '" + required.name + "' ended " + required.status.wireName()));
            } else if (job.requires.stream()
                    .map(byName::get)
                    .allMatch(required -> required.status == JobStatus.SUCCESS)) {
                steps.add(new Step(job, JobStatus.QUEUED, null));
            }
        }
        return steps;
    }
}
