package dev.keyless.issuer.trust.service;

import dev.keyless.issuer.token.mint.JobClaimData;
import dev.keyless.issuer.token.mint.TokenClaims;
import dev.keyless.issuer.token.mint.TokenKind;
import dev.keyless.issuer.trust.model.SubjectTemplateEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every replica's in-memory copy of the subject templates, so minting picks a subject without a query (the mint
 * path stays as fast as signing). A version is chosen by the token's issue time against its {@code activate_at},
 * so a template is invisible before that instant and applied from it on, on every replica that has loaded it;
 * replicas reload at {@code keyless.issuer.subject-templates.refresh-interval}, and a version saved here is loaded
 * at once.
 */
@ApplicationScoped
public class SubjectTemplates {

    private volatile Map<String, List<SubjectTemplate>> byScope = Map.of();

    /** The subject of a token: V1 never changes; V2 and on-demand follow the template in effect at {@code at}. */
    public String subject(TokenKind kind, JobClaimData job, Instant at) {
        if (kind == TokenKind.V1) {
            return TokenClaims.v1Subject(job);
        }
        return effective(job.orgId(), job.projectId(), at)
                .filter(t -> !t.isDefault())
                .map(t -> t.render(job))
                .orElseGet(() -> TokenClaims.v2Subject(job));
    }

    /** The template in effect at {@code at}: the project's own versions first, else the org's. */
    public Optional<SubjectTemplate> effective(UUID orgId, UUID projectId, Instant at) {
        Optional<SubjectTemplate> project = projectId == null
                ? Optional.empty()
                : latestActive(byScope.getOrDefault(scope(orgId, projectId), List.of()), at);
        return project.isPresent() ? project : latestActive(byScope.getOrDefault(scope(orgId, null), List.of()), at);
    }

    /** Versions that take effect after {@code at} and would govern this project, soonest first. */
    public List<SubjectTemplate> pending(UUID orgId, UUID projectId, Instant at) {
        return Stream.concat(
                        byScope.getOrDefault(scope(orgId, projectId), List.of()).stream(),
                        byScope.getOrDefault(scope(orgId, null), List.of()).stream())
                .filter(t -> t.activateAt().isAfter(at))
                .sorted(Comparator.comparing(SubjectTemplate::activateAt))
                .toList();
    }

    public List<SubjectTemplate> versions(UUID orgId, UUID projectId) {
        return byScope.getOrDefault(scope(orgId, projectId), List.of());
    }

    private static Optional<SubjectTemplate> latestActive(List<SubjectTemplate> versions, Instant at) {
        return versions.stream()
                .filter(t -> !t.activateAt().isAfter(at))
                .max(Comparator.comparing(SubjectTemplate::activateAt).thenComparing(SubjectTemplate::version));
    }

    @Scheduled(
            every = "${keyless.issuer.subject-templates.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @WithSession
    Uni<Void> refresh() {
        return SubjectTemplateEntity.<SubjectTemplateEntity>listAll()
                .invoke(rows -> byScope = rows.stream()
                        .map(SubjectTemplates::of)
                        .sorted(Comparator.comparingInt(SubjectTemplate::version))
                        .collect(Collectors.groupingBy(t -> scope(t.orgId(), t.projectId()))))
                .replaceWithVoid();
    }

    static SubjectTemplate of(SubjectTemplateEntity row) {
        List<String> keys = row.claimKeys.isEmpty() ? List.of() : Arrays.asList(row.claimKeys.split(","));
        return new SubjectTemplate(
                row.orgId, row.projectId, row.version, keys, row.activateAt, row.createdAt, row.createdBy);
    }

    private static String scope(UUID orgId, UUID projectId) {
        return orgId + "/" + (projectId == null ? "" : projectId);
    }
}
