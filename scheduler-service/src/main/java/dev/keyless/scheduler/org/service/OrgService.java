package dev.keyless.scheduler.org.service;

import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.org.model.GroupMembership;
import dev.keyless.scheduler.org.model.Org;
import dev.keyless.scheduler.org.model.OrgGroup;
import dev.keyless.scheduler.org.model.OrgUser;
import dev.keyless.scheduler.org.model.Project;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Orgs, their projects, users and groups. Callers check org access first; unknown ids are 404 here. */
@ApplicationScoped
public class OrgService {

    @WithTransaction
    public Uni<Org> createOrg(String name) {
        Org org = new Org();
        org.id = UUID.randomUUID();
        org.name = name;
        org.createdAt = Instant.now();
        return org.persist();
    }

    @WithSession
    public Uni<Org> org(UUID orgId) {
        return Org.<Org>findById(orgId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("org " + orgId + " does not exist"));
    }

    @WithTransaction
    public Uni<Project> createProject(UUID orgId, String name, String vcsOrigin) {
        return org(orgId)
                .call(org ->
                        requireNewName(Project.count("orgId = ?1 and name = ?2", orgId, name), "project", orgId, name))
                .chain(org -> {
                    Project project = new Project();
                    project.id = UUID.randomUUID();
                    project.orgId = orgId;
                    project.name = name;
                    project.vcsOrigin = vcsOrigin;
                    project.createdAt = Instant.now();
                    return project.persist();
                });
    }

    @WithSession
    public Uni<Project> project(UUID projectId) {
        return Project.<Project>findById(projectId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("project " + projectId + " does not exist"));
    }

    @WithTransaction
    public Uni<OrgGroup> createGroup(UUID orgId, String name) {
        return org(orgId)
                .call(org ->
                        requireNewName(OrgGroup.count("orgId = ?1 and name = ?2", orgId, name), "group", orgId, name))
                .chain(org -> {
                    OrgGroup group = new OrgGroup();
                    group.id = UUID.randomUUID();
                    group.orgId = orgId;
                    group.name = name;
                    group.createdAt = Instant.now();
                    return group.persist();
                });
    }

    @WithSession
    public Uni<List<OrgGroup>> groups(UUID orgId) {
        return org(orgId).chain(org -> OrgGroup.list("orgId = ?1 order by name", orgId));
    }

    /** A user with the names of its groups, sorted. */
    public record Member(OrgUser user, List<String> groups) {}

    @WithTransaction
    public Uni<Member> createUser(UUID orgId, String name, List<String> groupNames) {
        return org(orgId).chain(org -> {
            OrgUser user = new OrgUser();
            user.id = UUID.randomUUID();
            user.orgId = orgId;
            user.name = name;
            user.createdAt = Instant.now();
            return user.<OrgUser>persist()
                    .call(saved -> addMemberships(saved, groupNames == null ? List.of() : groupNames))
                    .chain(this::member);
        });
    }

    /** Replaces the user's group memberships. */
    @WithTransaction
    public Uni<Member> setGroups(UUID orgId, UUID userId, List<String> groupNames) {
        return user(orgId, userId)
                .call(user -> GroupMembership.delete("userId", user.id))
                .call(user -> addMemberships(user, groupNames))
                .chain(this::member);
    }

    @WithSession
    public Uni<Member> member(UUID orgId, UUID userId) {
        return user(orgId, userId).chain(this::member);
    }

    private Uni<Member> member(OrgUser user) {
        return groupNames(user.id).map(groups -> new Member(user, groups));
    }

    @WithSession
    public Uni<OrgUser> user(UUID orgId, UUID userId) {
        return OrgUser.<OrgUser>findById(userId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("user " + userId + " does not exist"))
                .invoke(user -> {
                    if (!user.orgId.equals(orgId)) {
                        throw ProblemException.notFound("user " + userId + " does not exist in org " + orgId);
                    }
                });
    }

    /** The names of the user's groups, sorted. */
    public Uni<List<String>> groupNames(UUID userId) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        """
                        select g.name from OrgGroup g, GroupMembership m
                        where m.groupId = g.id and m.userId = :userId order by g.name""",
                        String.class)
                .setParameter("userId", userId)
                .getResultList());
    }

    /** 409 when the org already has a {@code kind} of that name (the unique key would refuse it less clearly). */
    private static Uni<Void> requireNewName(Uni<Long> existing, String kind, UUID orgId, String name) {
        return existing.invoke(count -> {
                    if (count > 0) {
                        throw ProblemException.conflict(
                                "org " + orgId + " already has a " + kind + " named '" + name + "'");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> addMemberships(OrgUser user, List<String> groupNames) {
        Set<String> wanted = new LinkedHashSet<>(groupNames);
        if (wanted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return OrgGroup.<OrgGroup>list("orgId = ?1 and name in ?2", user.orgId, wanted)
                .chain(groups -> {
                    if (groups.size() != wanted.size()) {
                        groups.forEach(group -> wanted.remove(group.name));
                        throw ProblemException.badRequest(
                                "groups: no such group in org " + user.orgId + ": " + String.join(", ", wanted));
                    }
                    List<GroupMembership> memberships = groups.stream()
                            .map(group -> {
                                GroupMembership membership = new GroupMembership();
                                membership.id = UUID.randomUUID();
                                membership.userId = user.id;
                                membership.groupId = group.id;
                                return membership;
                            })
                            .toList();
                    return GroupMembership.persist(memberships);
                });
    }
}
