package dev.keyless.messaging.persistence;

import io.vertx.sqlclient.DatabaseException;
import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import java.sql.SQLException;

/**
 * Recognizes a unique-key violation (SQLSTATE 23505) that raced past a service's own check. Only UNIQUE: a
 * violated NOT NULL, foreign key or CHECK constraint is a bug, not a conflict the caller could resolve.
 */
public final class Conflicts {

    static final String UNIQUE_VIOLATION = "23505";

    private Conflicts() {}

    /** Whether {@code failure} or one of its causes is a unique-key violation. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
            if (UNIQUE_VIOLATION.equals(sqlState(t))) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable t) {
        if (t instanceof DatabaseException database) {
            return database.getSqlState();
        }
        if (t instanceof JDBCException jdbc) {
            return jdbc.getSQLState();
        }
        return t instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
