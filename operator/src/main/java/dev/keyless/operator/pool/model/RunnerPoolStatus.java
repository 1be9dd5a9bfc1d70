package dev.keyless.operator.pool.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What the operator reports about a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunnerPoolStatus {

    private Long observedGeneration;
    /** Job Pods of the pool that have not ended. */
    private Integer jobsRunning;
    /** Jobs claimed and given a Pod since the pool was created. */
    private Long jobsStarted;
    /** Jobs of the pool that failed since it was created (the command failed or the Pod could not run). */
    private Long jobsFailed;
    /** {@code Ready} and {@code Degraded}. */
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getJobsRunning() {
        return jobsRunning;
    }

    public void setJobsRunning(Integer jobsRunning) {
        this.jobsRunning = jobsRunning;
    }

    public Long getJobsStarted() {
        return jobsStarted;
    }

    public void setJobsStarted(Long jobsStarted) {
        this.jobsStarted = jobsStarted;
    }

    public Long getJobsFailed() {
        return jobsFailed;
    }

    public void setJobsFailed(Long jobsFailed) {
        this.jobsFailed = jobsFailed;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}
