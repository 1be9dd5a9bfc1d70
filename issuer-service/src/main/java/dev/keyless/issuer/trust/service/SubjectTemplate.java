package dev.keyless.issuer.trust.service;

import dev.keyless.issuer.token.mint.JobClaimData;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A version of a subject template: the V2 and on-demand {@code sub} as {@code key:value} pairs joined by {@code :}
 * (like GitHub's subject customization). Inside a value {@code %} becomes {@code %25} and {@code :} becomes
 * {@code %3A}, so a value can never forge another pair. No keys means the default V2 subject.
 *
 * @param projectId null for the org's template
 */
public record SubjectTemplate(
        UUID orgId,
        UUID projectId,
        int version,
        List<String> keys,
        Instant activateAt,
        Instant createdAt,
        String createdBy) {

    /** GCP's limit on {@code google.subject}; the strictest relying party of DESIGN.md. */
    public static final int MAX_SUBJECT_BYTES = 127;

    /** The keys a template may use, each read from the job's claim data. */
    public static final Map<String, Function<JobClaimData, String>> KEYS = Map.of(
            "org-id", job -> text(job.orgId()),
            "project-id", job -> text(job.projectId()),
            "user-id", job -> text(job.userId()),
            "vcs-origin", job -> text(job.vcsOrigin()),
            "vcs-ref", job -> text(job.vcsRef()),
            "context-ids", job -> job.contextIds().stream().map(UUID::toString).collect(Collectors.joining(",")),
            "ssh-rerun", job -> String.valueOf(job.sshRerun()),
            "pipeline-id", job -> text(job.pipelineId()),
            "workflow-id", job -> text(job.workflowId()),
            "job-id", job -> text(job.jobId()));

    public SubjectTemplate {
        keys = List.copyOf(keys);
    }

    public boolean isDefault() {
        return keys.isEmpty();
    }

    public String render(JobClaimData job) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            if (!out.isEmpty()) {
                out.append(':');
            }
            out.append(key).append(':').append(escape(KEYS.get(key).apply(job)));
        }
        return out.toString();
    }

    /**
     * The key whose pair takes the rendered subject over {@link #MAX_SUBJECT_BYTES} for this job, if any (the
     * pairs are added in order; the first one to cross the limit is named).
     */
    public Optional<String> overflow(JobClaimData job) {
        int bytes = 0;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String pair = key + ":" + escape(KEYS.get(key).apply(job));
            bytes += (i == 0 ? 0 : 1) + pair.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SUBJECT_BYTES) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    static String escape(String value) {
        return value.replace("%", "%25").replace(":", "%3A");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
