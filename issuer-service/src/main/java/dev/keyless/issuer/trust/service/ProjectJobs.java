package dev.keyless.issuer.trust.service;

import dev.keyless.issuer.job.model.JobClaimsEntity;
import dev.keyless.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * What the issuer knows of a project: the jobs it has minted for, from JobContextsResolved (which carries the
 * project's org and VCS origin). The issuer asks no other service, so a project becomes known here with its first
 * resolved job. Runs inside the caller's session.
 */
@ApplicationScoped
public class ProjectJobs {

    /** The project's most recent jobs, newest first. */
    public Uni<List<JobClaimsEntity>> recent(UUID projectId, int limit) {
        return JobClaimsEntity.<JobClaimsEntity>find(
                        "projectId = ?1 and resolvedAt is not null order by resolvedAt desc", projectId)
                .page(0, limit)
                .list();
    }

    /** The org's most recent jobs, newest first. */
    public Uni<List<JobClaimsEntity>> recentOfOrg(UUID orgId, int limit) {
        return JobClaimsEntity.<JobClaimsEntity>find(
                        "orgId = ?1 and resolvedAt is not null order by resolvedAt desc", orgId)
                .page(0, limit)
                .list();
    }

    /** The project's latest job: its org and VCS origin. 404 while no job of the project has reached the issuer. */
    public Uni<JobClaimsEntity> latest(UUID projectId) {
        return recent(projectId, 1).map(jobs -> {
            if (jobs.isEmpty()) {
                throw ProblemException.notFound("no job of project " + projectId + " has reached the issuer yet; "
                        + "run one job of the project, then preview");
            }
            return jobs.get(0);
        });
    }
}
