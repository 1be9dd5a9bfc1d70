package dev.keyless.issuer.token.mint;

import java.util.List;
import java.util.UUID;

/** What a job's tokens say about it, from JobContextsResolved. Ids only, never a secret. */
public record JobClaimData(
        UUID jobId,
        UUID orgId,
        UUID projectId,
        UUID pipelineId,
        UUID workflowId,
        UUID userId,
        String vcsOrigin,
        String vcsRef,
        boolean sshRerun,
        List<UUID> contextIds) {

    public JobClaimData {
        contextIds = contextIds == null ? List.of() : List.copyOf(contextIds);
    }
}
