package dev.keyless.executor.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job handed to this executor by {@code POST /api/v1/executor/claim}.
 *
 * @param steps              the job's steps; null for a job triggered with a plain command, which runs {@code command}
 * @param environment        the job's own variables from its config (over the contexts')
 * @param builtinEnvironment the {@code CIRCLE_*} variables (under the contexts')
 * @param image              the first image of the job's executor; this executor runs on its host and only reports it
 */
public record ClaimedJob(
        UUID jobId,
        UUID orgId,
        UUID projectId,
        String name,
        String command,
        int timeoutSeconds,
        String credential,
        List<Step> steps,
        Map<String, String> environment,
        Map<String, String> builtinEnvironment,
        String image,
        String vcsOrigin,
        String vcsRef,
        String revision) {

    public ClaimedJob {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        builtinEnvironment = builtinEnvironment == null ? Map.of() : Map.copyOf(builtinEnvironment);
    }

    /** A job of a plain command, as scheduler versions before steps hand out. */
    public ClaimedJob(
            UUID jobId,
            UUID orgId,
            UUID projectId,
            String name,
            String command,
            int timeoutSeconds,
            String credential) {
        this(
                jobId,
                orgId,
                projectId,
                name,
                command,
                timeoutSeconds,
                credential,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * One step: {@code run} (the command as a script file given to {@code shell}) or {@code checkout}.
     *
     * @param when {@code on_success} (null), {@code on_fail} or {@code always}
     */
    public record Step(
            String type,
            String name,
            String command,
            Map<String, String> environment,
            String shell,
            String workingDirectory,
            String when) {

        public static final String RUN = "run";
        public static final String CHECKOUT = "checkout";

        public Step {
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }
    }

    @Override
    public String toString() {
        // the credential is a bearer secret: keep it out of any log line
        return "ClaimedJob[jobId=" + jobId + ", name=" + name + "]";
    }
}
