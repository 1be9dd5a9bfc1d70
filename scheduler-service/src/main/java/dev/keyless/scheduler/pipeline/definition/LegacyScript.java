package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.pipeline.model.JobStep;

import java.util.List;
import java.util.Map;

/**
 * A config's steps as one bash script, the {@code command} an executor that predates steps runs: each run step in
 * a subshell of its own with its environment and working directory, stopping at the first failure. Such an
 * executor cannot check out, so a checkout step fails the script with a message saying so.
 */
final class LegacyScript {

    private LegacyScript() {}

    static String of(List<JobStep> steps, Map<String, String> environment) {
        StringBuilder script = new StringBuilder("set -e\n");
        script.append("export BASH_ENV=\"${BASH_ENV:-$(mktemp)}\"\n");
        environment.forEach((name, value) -> script.append("export ")
                .append(name)
                .append('=')
                .append(quote(value))
                .append('\n'));
        for (JobStep step : steps) {
            if (JobStep.CHECKOUT.equals(step.type())) {
                script.append("echo ")
                        .append(quote("checkout: this executor runs a single command and cannot check "
                                + "out the repository; use an executor that runs steps"))
                        .append(" >&2\nexit 1\n");
                continue;
            }
            if ("on_fail".equals(step.when())) {
                continue;
            }
            script.append("(\n");
            if (step.environment() != null) {
                step.environment().forEach((name, value) -> script.append("  export ")
                        .append(name)
                        .append('=')
                        .append(quote(value))
                        .append('\n'));
            }
            if (step.workingDirectory() != null) {
                script.append("  mkdir -p ")
                        .append(quote(step.workingDirectory()))
                        .append(" && cd ")
                        .append(quote(step.workingDirectory()))
                        .append('\n');
            }
            script.append("  ")
                    .append(step.shell() == null ? "bash -eo pipefail" : step.shell())
                    .append(" -c ")
                    .append(quote(step.command()))
                    .append('\n');
            script.append(")\n");
        }
        return script.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
