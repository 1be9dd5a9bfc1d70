package dev.keyless.context.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.context.config.ContextConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Audit records of hot paths (every environment pull) written by group commit: the records of concurrent callers
 * go in one multi-row insert, and each caller's Uni completes only once its own record is committed. So every
 * record is durable before its caller answers, at one round trip per batch instead of a transaction per record.
 */
@ApplicationScoped
public class AuditBatcher {

    private static final String INSERT = "insert into audit_record (org_id, occurred_at, actor, action, context_id,"
            + " job_id, detail) select * from unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[],"
            + " $5::uuid[], $6::uuid[], $7::text[])";

    private record Pending(
            UUID orgId,
            OffsetDateTime occurredAt,
            String actor,
            String action,
            UUID contextId,
            UUID jobId,
            String detail,
            CompletableFuture<Void> committed) {}

    private final Pool pool;
    private final ObjectMapper json;
    private final int maxBatch;
    private final Queue<Pending> queue = new ArrayDeque<>();
    private boolean writing;

    public AuditBatcher(Pool pool, ObjectMapper json, ContextConfig config) {
        this.pool = pool;
        this.json = json;
        this.maxBatch = config.environment().auditBatchMax();
    }

    /**
     * Records outside the caller's transaction; completes (on no particular thread) once the record is committed.
     *
     * @param detail names only; callers never pass a value
     */
    public Uni<Void> record(
            UUID orgId, String actor, String action, UUID contextId, UUID jobId, Map<String, Object> detail) {
        String detailJson;
        try {
            detailJson = json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("audit detail is not serializable", e));
        }
        Pending pending = new Pending(
                orgId,
                OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC),
                actor,
                action,
                contextId,
                jobId,
                detailJson,
                new CompletableFuture<>());
        boolean start;
        synchronized (this) {
            queue.add(pending);
            start = !writing;
            writing = true;
        }
        if (start) {
            writeNext();
        }
        return Uni.createFrom().completionStage(pending.committed());
    }

    /** One batch at a time: records queued while it is written go in the next one. */
    private void writeNext() {
        List<Pending> batch = new ArrayList<>();
        synchronized (this) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            if (batch.isEmpty()) {
                writing = false;
                return;
            }
        }
        int size = batch.size();
        UUID[] orgs = new UUID[size];
        OffsetDateTime[] times = new OffsetDateTime[size];
        String[] actors = new String[size];
        String[] actions = new String[size];
        UUID[] contexts = new UUID[size];
        UUID[] jobs = new UUID[size];
        String[] details = new String[size];
        for (int i = 0; i < size; i++) {
            Pending p = batch.get(i);
            orgs[i] = p.orgId();
            times[i] = p.occurredAt();
            actors[i] = p.actor();
            actions[i] = p.action();
            contexts[i] = p.contextId();
            jobs[i] = p.jobId();
            details[i] = p.detail();
        }
        pool.preparedQuery(INSERT)
                .execute(Tuple.tuple(List.of(orgs, times, actors, actions, contexts, jobs, details)))
                .subscribe()
                .with(
                        rows -> {
                            batch.forEach(p -> p.committed().complete(null));
                            writeNext();
                        },
                        failure -> {
                            batch.forEach(p -> p.committed().completeExceptionally(failure));
                            writeNext();
                        });
    }
}
