package dev.keyless.events;

/** Kafka topics of the platform. Every record is keyed by job id so that one job's events stay in order. */
public final class Topics {

    /** JobStarted and JobFinished, produced by scheduler-service. */
    public static final String JOB_LIFECYCLE = "keyless.job-lifecycle";

    /** JobContextsResolved and JobContextsDenied, produced by context-service. */
    public static final String JOB_CONTEXTS = "keyless.job-contexts";

    private Topics() {}
}
