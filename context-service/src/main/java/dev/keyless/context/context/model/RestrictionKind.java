package dev.keyless.context.context.model;

import java.util.Arrays;
import java.util.Optional;

/** What a context restriction tests. Each kind has its own rule (see README, "Restrictions"). */
public enum RestrictionKind {
    /** The triggering user is in this security group. */
    GROUP("group"),
    /** The job belongs to this project. */
    PROJECT("project"),
    /** This CEL expression is true for the job. */
    EXPRESSION("expression");

    private final String wireName;

    RestrictionKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<RestrictionKind> fromWire(String value) {
        return Arrays.stream(values())
                .filter(kind -> kind.wireName.equals(value))
                .findFirst();
    }
}
