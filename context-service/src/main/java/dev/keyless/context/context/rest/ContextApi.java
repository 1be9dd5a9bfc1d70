package dev.keyless.context.context.rest;

import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.model.ContextRestriction;
import dev.keyless.context.context.service.VariableService;
import jakarta.validation.constraints.NotNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the context admin API (snake_case JSON). */
public final class ContextApi {

    private ContextApi() {}

    public record ContextRequest(@NotNull String name) {}

    public record ContextView(UUID id, UUID orgId, String name, Instant createdAt, Instant updatedAt) {
        static ContextView of(Context context) {
            return new ContextView(context.id, context.orgId, context.name, context.createdAt, context.updatedAt);
        }
    }

    public record VariableRequest(@NotNull String value) {

        @Override
        public String toString() {
            return "VariableRequest[value=<hidden>]";
        }
    }

    public record VariableView(String name, String hint, Instant updatedAt) {
        static VariableView of(VariableService.VariableSummary summary) {
            return new VariableView(summary.name(), summary.hint(), summary.updatedAt());
        }
    }

    public record RestrictionRequest(@NotNull String type, @NotNull String value) {}

    public record RestrictionView(UUID id, UUID contextId, String type, String value, Instant createdAt) {
        static RestrictionView of(ContextRestriction restriction) {
            return new RestrictionView(
                    restriction.id,
                    restriction.contextId,
                    restriction.kind.wireName(),
                    restriction.value,
                    restriction.createdAt);
        }
    }

    public record ForkPolicyView(List<UUID> allowedProjectIds) {}
}
