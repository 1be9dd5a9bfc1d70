package dev.keyless.context.web;

import org.hibernate.exception.ConstraintViolationException;

/** Recognizes a unique-constraint violation that raced past a service's own check. */
public final class Conflicts {

    private Conflicts() {
    }

    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.contains("duplicate key value violates unique constraint")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
