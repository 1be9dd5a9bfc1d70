package dev.keyless.context.context.service;

import java.util.List;
import java.util.UUID;

/**
 * What restrictions are evaluated on: the job's identity and pipeline values as the scheduler reported them in
 * JobStarted. Never a pipeline parameter (a triggering user could set it).
 *
 * @param vcsRef        full ref, {@code refs/heads/main} or {@code refs/tags/v1.2.0}
 * @param triggerSource {@code push}, {@code api}, {@code fork_pull_request} or {@code schedule}
 */
public record JobFacts(
        UUID projectId,
        UUID pipelineId,
        UUID workflowId,
        String jobName,
        List<String> actorGroups,
        String vcsOrigin,
        String vcsRef,
        String revision,
        String triggerSource,
        boolean sshRerun) {

    public static final String FORK_PULL_REQUEST = "fork_pull_request";
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";

    public JobFacts {
        actorGroups = actorGroups == null ? List.of() : List.copyOf(actorGroups);
    }

    /** The branch name, or empty when the job runs for a tag. */
    public String branch() {
        return vcsRef != null && vcsRef.startsWith(BRANCH_PREFIX) ? vcsRef.substring(BRANCH_PREFIX.length()) : "";
    }

    /** The tag name, or empty when the job runs for a branch. */
    public String tag() {
        return vcsRef != null && vcsRef.startsWith(TAG_PREFIX) ? vcsRef.substring(TAG_PREFIX.length()) : "";
    }

    public boolean fromForkedPullRequest() {
        return FORK_PULL_REQUEST.equals(triggerSource);
    }
}
