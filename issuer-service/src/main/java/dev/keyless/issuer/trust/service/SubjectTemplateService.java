package dev.keyless.issuer.trust.service;

import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.issuer.token.mint.JobClaimData;
import dev.keyless.issuer.trust.model.SubjectTemplateEntity;
import dev.keyless.messaging.persistence.Conflicts;
import dev.keyless.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Saves subject template versions. A version is refused when its subject would exceed 127 bytes (GCP's
 * {@code google.subject}) for any job it could govern: a job with the widest ids, and each of the scope's recent
 * jobs (their real origins and refs); the refusal names the key that pushes it over. Every saved version is logged
 * and kept (the table is append-only), which is the audit of template changes.
 */
@ApplicationScoped
public class SubjectTemplateService {

    private static final Logger LOG = Logger.getLogger(SubjectTemplateService.class);
    static final int MAX_KEYS = 10;
    static final int CHECKED_JOBS = 500;

    private final SubjectTemplates templates;
    private final ProjectJobs jobs;

    public SubjectTemplateService(SubjectTemplates templates, ProjectJobs jobs) {
        this.templates = templates;
        this.jobs = jobs;
    }

    /**
     * Saves the next version of the scope's template.
     *
     * @param projectId  null for the org's template
     * @param activateAt when it takes effect; null for now
     */
    public Uni<SubjectTemplate> save(UUID orgId, UUID projectId, List<String> keys, Instant activateAt, String actor) {
        validateKeys(keys);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // tokens carry whole seconds: a whole-second activate_at makes "iat >= activate_at" the exact switch
        Instant requested = activateAt == null ? now : activateAt;
        Instant effective = requested.truncatedTo(ChronoUnit.SECONDS).equals(requested)
                ? requested
                : requested.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        if (effective.isBefore(now.minusSeconds(60))) {
            throw ProblemException.badRequest(
                    "activate_at is in the past; a template cannot change tokens already " + "minted");
        }
        SubjectTemplate candidate = new SubjectTemplate(orgId, projectId, 0, keys, effective, now, actor);
        checkLength(candidate, widest(orgId, projectId));
        // committed before the conflict is told and the cache reloads: the transaction ends mid-method
        return Panache.withTransaction(() -> (projectId == null
                                ? jobs.recentOfOrg(orgId, CHECKED_JOBS)
                                : jobs.recent(projectId, CHECKED_JOBS))
                        .invoke(recent -> recent.stream()
                                .map(JobClaimsEntity::claimData)
                                .forEach(job -> checkLength(candidate, job)))
                        .<SubjectTemplateEntity>chain(() -> (projectId == null
                                        ? SubjectTemplateEntity.<SubjectTemplateEntity>find(
                                                "orgId = ?1 and projectId is null order by version desc", orgId)
                                        : SubjectTemplateEntity.<SubjectTemplateEntity>find(
                                                "orgId = ?1 and projectId = ?2 order by version desc",
                                                orgId,
                                                projectId))
                                .firstResult())
                        .chain(latest -> {
                            SubjectTemplateEntity row = new SubjectTemplateEntity();
                            row.id = UUID.randomUUID();
                            row.orgId = orgId;
                            row.projectId = projectId;
                            row.version = latest == null ? 1 : latest.version + 1;
                            row.claimKeys = String.join(",", keys);
                            row.activateAt = effective;
                            row.createdAt = now;
                            row.createdBy = actor;
                            return row.persistAndFlush().replaceWith(row);
                        }))
                .onFailure(Conflicts::isUniqueViolation)
                .transform(e -> ProblemException.conflict(
                        "another change of this template was saved at the same time; reload and retry"))
                .call(templates::refresh)
                .map(row -> {
                    LOG.infof(
                            "subject template of org %s%s: version %d by %s, keys [%s], active from %s",
                            orgId,
                            projectId == null ? "" : " project " + projectId,
                            row.version,
                            actor,
                            row.claimKeys,
                            row.activateAt);
                    return SubjectTemplates.of(row);
                });
    }

    private static void validateKeys(List<String> keys) {
        if (keys == null) {
            throw ProblemException.badRequest("claim_keys is required (an empty list restores the default subject)");
        }
        if (keys.size() > MAX_KEYS) {
            throw ProblemException.badRequest("at most " + MAX_KEYS + " claim_keys");
        }
        if (new HashSet<>(keys).size() != keys.size()) {
            throw ProblemException.badRequest("claim_keys lists a key twice");
        }
        for (String key : keys) {
            if (!SubjectTemplate.KEYS.containsKey(key)) {
                throw ProblemException.badRequest("claim_keys: '" + key + "' is not a template key; use "
                        + SubjectTemplate.KEYS.keySet().stream().sorted().toList());
            }
        }
    }

    /** A job with the widest fixed-size values: fails the templates that are too long whatever the job. */
    private static JobClaimData widest(UUID orgId, UUID projectId) {
        UUID any = new UUID(-1L, -1L);
        return new JobClaimData(
                any, orgId, projectId == null ? any : projectId, any, any, any, "", "", false, List.of(any));
    }

    private static void checkLength(SubjectTemplate template, JobClaimData job) {
        Optional<String> over = template.overflow(job);
        if (over.isPresent()) {
            int bytes = template.render(job).getBytes(StandardCharsets.UTF_8).length;
            throw ProblemException.unprocessable("this template makes a subject of " + bytes + " bytes"
                    + (job.vcsRef().isEmpty()
                            ? ""
                            : " for job " + job.jobId() + " (" + job.vcsOrigin() + " " + job.vcsRef() + ")")
                    + ", over the " + SubjectTemplate.MAX_SUBJECT_BYTES + " bytes relying "
                    + "parties accept (GCP google.subject); '" + over.get() + "' pushes it over");
        }
    }
}
