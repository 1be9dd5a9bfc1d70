package dev.keyless.scheduler.pipeline.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One step of a job, as the executor runs it: {@code run} (a command in a shell) or {@code checkout} (the
 * project's repository at the pipeline's revision). Orb and reusable commands are already expanded into these.
 *
 * @param environment      the step's own variables, over the job's, the contexts' and the built-in ones
 * @param shell            the shell command line the script file is given to; null for the executor's default
 * @param workingDirectory relative to the job's workspace, or absolute, or {@code ~/...}; null for the workspace
 * @param when             {@code on_success} (default), {@code on_fail} or {@code always}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStep(
        String type,
        String name,
        String command,
        Map<String, String> environment,
        String shell,
        String workingDirectory,
        String when) {

    public static final String RUN = "run";
    public static final String CHECKOUT = "checkout";

    public static JobStep checkout() {
        return new JobStep(CHECKOUT, "Checkout code", null, null, null, null, null);
    }
}
