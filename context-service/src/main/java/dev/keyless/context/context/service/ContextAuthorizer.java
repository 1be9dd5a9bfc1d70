package dev.keyless.context.context.service;

import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.model.ContextRestriction;
import dev.keyless.context.context.repository.ContextRepository;
import dev.keyless.context.context.repository.ForkAllowedProjectRepository;
import dev.keyless.context.context.repository.RestrictionRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which contexts a job gets: when it starts (by the names it lists) and again at every environment pull
 * (by the ids it resolved to), so a restriction added or a context deleted in between takes effect. Runs inside
 * the caller's session.
 */
@ApplicationScoped
public class ContextAuthorizer {

    private final ContextRepository contexts;
    private final RestrictionRepository restrictions;
    private final ForkAllowedProjectRepository forkPolicy;
    private final RestrictionEvaluator evaluator;
    private final MeterRegistry registry;

    public ContextAuthorizer(
            ContextRepository contexts,
            RestrictionRepository restrictions,
            ForkAllowedProjectRepository forkPolicy,
            RestrictionEvaluator evaluator,
            MeterRegistry registry) {
        this.contexts = contexts;
        this.restrictions = restrictions;
        this.forkPolicy = forkPolicy;
        this.evaluator = evaluator;
        this.registry = registry;
    }

    /**
     * @param contexts the job's contexts in its order, or a denial (the first context that failed)
     */
    public record Decision(List<Context> contexts, Optional<Denial> denial) {}

    /** At job start: the names the job lists, looked up in its org (duplicates count once, first place wins). */
    public Uni<Decision> byNames(UUID orgId, List<String> names, JobFacts facts) {
        return decideByNames(orgId, names, facts).map(this::counted);
    }

    /**
     * A dry run of {@link #byNames} (the claims preview): the same decision, not counted in the denial metric,
     * so previews never look like denied jobs.
     */
    public Uni<Decision> previewByNames(UUID orgId, List<String> names, JobFacts facts) {
        return decideByNames(orgId, names, facts);
    }

    private Uni<Decision> decideByNames(UUID orgId, List<String> names, JobFacts facts) {
        List<String> ordered = List.copyOf(new LinkedHashSet<>(names));
        return contexts.findByNames(orgId, ordered).chain(found -> {
            Map<String, Context> byName = found.stream().collect(Collectors.toMap(c -> c.name, Function.identity()));
            for (String name : ordered) {
                if (!byName.containsKey(name)) {
                    return Uni.createFrom().item(deny(Denial.unknownContext(name)));
                }
            }
            return check(orgId, ordered.stream().map(byName::get).toList(), facts);
        });
    }

    /** At pull time: the ids the job resolved to, each still existing in its org and still allowed. */
    public Uni<Decision> byIds(UUID orgId, List<UUID> ids, List<String> names, JobFacts facts) {
        return contexts.findByIds(ids)
                .chain(found -> {
                    Map<UUID, Context> byId = found.stream()
                            .filter(c -> c.orgId.equals(orgId))
                            .collect(Collectors.toMap(c -> c.id, Function.identity()));
                    List<Context> ordered = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        Context context = byId.get(ids.get(i));
                        if (context == null) {
                            String name =
                                    i < names.size() ? names.get(i) : ids.get(i).toString();
                            return Uni.createFrom().item(deny(Denial.contextDeleted(name)));
                        }
                        ordered.add(context);
                    }
                    return check(orgId, ordered, facts);
                })
                .map(this::counted);
    }

    private Uni<Decision> check(UUID orgId, List<Context> ordered, JobFacts facts) {
        List<UUID> ids = ordered.stream().map(c -> c.id).toList();
        return restrictions.listByContexts(ids).chain(all -> {
            Map<UUID, List<ContextRestriction>> byContext =
                    all.stream().collect(Collectors.groupingBy(r -> r.contextId));
            boolean anyRestricted = !byContext.isEmpty();
            Uni<Boolean> forkAllowed = anyRestricted && facts.fromForkedPullRequest()
                    ? forkPolicy.allowed(orgId, facts.projectId())
                    : Uni.createFrom().item(false);
            return forkAllowed.map(allowed -> {
                for (Context context : ordered) {
                    Optional<Denial> denial = evaluator.evaluate(
                            context.name, byContext.getOrDefault(context.id, List.of()), facts, allowed);
                    if (denial.isPresent()) {
                        return deny(denial.get());
                    }
                }
                return new Decision(ordered, Optional.empty());
            });
        });
    }

    private static Decision deny(Denial denial) {
        return new Decision(List.of(), Optional.of(denial));
    }

    private Decision counted(Decision decision) {
        decision.denial().ifPresent(denial -> registry.counter("keyless.context.denied", "reason", denial.kind())
                .increment());
        return decision;
    }
}
