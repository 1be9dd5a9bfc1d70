package dev.keyless.context.audit.service;

import dev.keyless.context.context.model.Context;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The audit record every environment pull leaves: which contexts and variable names it handed out, never values. */
@ApplicationScoped
public class EnvironmentAudit {

    private final AuditBatcher batcher;

    public EnvironmentAudit(AuditBatcher batcher) {
        this.batcher = batcher;
    }

    /** Completes once the record is committed, written together with those of concurrent pulls. */
    public Uni<Void> pulled(
            UUID orgId, UUID jobId, List<Context> contexts, Collection<String> variableNames, boolean oidcTokens) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("contexts", contexts.stream().map(c -> c.name).toList());
        detail.put("context_ids", contexts.stream().map(c -> c.id.toString()).toList());
        detail.put("variables", List.copyOf(variableNames));
        detail.put("oidc_tokens", oidcTokens);
        return batcher.record(orgId, "job:" + jobId, "environment.pulled", null, jobId, detail);
    }
}
