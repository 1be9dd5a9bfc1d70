package dev.keyless.context.jobs.model;

/** Outcome of resolving a job's contexts. */
public enum ResolutionState {
    /** Every context exists and passed its restrictions. */
    RESOLVED,
    /** A context is unknown or restricted; the job must not run. */
    DENIED,
    /** JobFinished arrived for a job whose JobStarted was never seen here. */
    NEVER_STARTED
}
