package dev.keyless.executor.job;

import java.util.UUID;

/**
 * Settings of {@code executor run}.
 *
 * @param waitSeconds               long-poll of one claim request
 * @param heartbeatSeconds          interval between heartbeats while a job runs
 * @param environmentTimeoutSeconds how long to keep asking for the environment while it answers 503
 * @param graceSeconds              after SIGTERM, how long the current job may still run before it is killed
 * @param once                      run a single job, then exit
 * @param idleTimeoutSeconds        with {@code once}: how long to wait for a job before giving up
 * @param projectId                 claim only this project's jobs, or null for any job
 * @param tokenRefreshShare         the used share of a job's token file's lifetime after which it is re-minted
 * @param checkoutUrl               what a checkout step clones: a URL with {@code {vcs_origin}} for the project's
 *                                  origin ({@code github.com/acme/app})
 */
public record ExecutorConfig(
        String schedulerUrl,
        String contextUrl,
        String issuerUrl,
        String executorToken,
        int waitSeconds,
        int heartbeatSeconds,
        int environmentTimeoutSeconds,
        int graceSeconds,
        boolean once,
        int idleTimeoutSeconds,
        UUID projectId,
        double tokenRefreshShare,
        String checkoutUrl) {

    @Override
    public String toString() {
        return "ExecutorConfig[scheduler=" + schedulerUrl + ", context=" + contextUrl + ", issuer=" + issuerUrl + "]";
    }
}
