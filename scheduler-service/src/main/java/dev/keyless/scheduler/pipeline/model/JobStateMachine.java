package dev.keyless.scheduler.pipeline.model;

import dev.keyless.problem.ProblemException;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.keyless.scheduler.pipeline.model.JobStatus.BLOCKED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.CANCELED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.FAILED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.NOT_RUN;
import static dev.keyless.scheduler.pipeline.model.JobStatus.QUEUED;
import static dev.keyless.scheduler.pipeline.model.JobStatus.RUNNING;
import static dev.keyless.scheduler.pipeline.model.JobStatus.SUCCESS;
import static dev.keyless.scheduler.pipeline.model.JobStatus.UNAUTHORIZED;

/** The one place where a job changes state: the legal transitions and the bookkeeping that goes with each. */
public final class JobStateMachine {

    private static final Map<JobStatus, Set<JobStatus>> LEGAL = new EnumMap<>(JobStatus.class);

    static {
        LEGAL.put(BLOCKED, EnumSet.of(QUEUED, CANCELED, NOT_RUN));
        LEGAL.put(QUEUED, EnumSet.of(RUNNING, CANCELED, UNAUTHORIZED));
        // RUNNING -> QUEUED: its executor was lost and the job is retried
        LEGAL.put(RUNNING, EnumSet.of(SUCCESS, FAILED, CANCELED, QUEUED));
        for (JobStatus status : JobStatus.values()) {
            if (status.terminal()) {
                LEGAL.put(status, EnumSet.noneOf(JobStatus.class));
            }
        }
    }

    private JobStateMachine() {}

    public static boolean allowed(JobStatus from, JobStatus to) {
        return LEGAL.get(from).contains(to);
    }

    /**
     * Moves {@code job} to {@code to}, stamping times and clearing the claim when it leaves {@code running}.
     *
     * @param reason user-facing sentence kept in {@code status_reason} (null keeps none)
     * @throws IllegalJobTransitionException when the transition is not legal
     */
    public static void transition(Job job, JobStatus to, String reason, Instant now) {
        JobStatus from = job.status;
        if (!allowed(from, to)) {
            throw new IllegalJobTransitionException(job.id, from, to);
        }
        job.status = to;
        job.statusReason = reason;
        switch (to) {
            case QUEUED -> {
                job.queuedAt = now;
                job.startedAt = null;
                job.lastHeartbeatAt = null;
                job.credentialId = null;
            }
            case RUNNING -> {
                job.startedAt = now;
                job.lastHeartbeatAt = now;
                job.claims++;
            }
            default -> job.finishedAt = now;
        }
    }

    /** A caller asked for a state change the job's current state does not allow: 409. */
    public static final class IllegalJobTransitionException extends ProblemException {

        private final transient JobStatus from;

        public IllegalJobTransitionException(UUID jobId, JobStatus from, JobStatus to) {
            super(409, "job " + jobId + " is " + from.wireName() + " and cannot become " + to.wireName());
            this.from = from;
        }

        public JobStatus from() {
            return from;
        }
    }
}
