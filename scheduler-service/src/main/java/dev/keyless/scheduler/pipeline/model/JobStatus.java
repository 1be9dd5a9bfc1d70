package dev.keyless.scheduler.pipeline.model;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;

import java.util.Arrays;
import java.util.Locale;

/** A job's state; which transitions are legal is {@link JobStateMachine}'s business alone. */
public enum JobStatus {
    /** Waiting for the jobs it requires. */
    BLOCKED,
    /** Ready to run; executors may claim it once its contexts are resolved. */
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELED,
    /** Its contexts were denied (unknown or restricted): it never ran and got no token. */
    UNAUTHORIZED,
    /** A job it requires did not succeed. */
    NOT_RUN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this != BLOCKED && this != QUEUED && this != RUNNING;
    }

    public static JobStatus fromWireName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.wireName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job status"));
    }

    /** Stored in lower case, as in the API and in JobFinished. */
    @jakarta.persistence.Converter
    public static class Converter implements AttributeConverter<JobStatus, String> {
        @Override
        public String convertToDatabaseColumn(JobStatus status) {
            return status == null ? null : status.wireName();
        }

        @Override
        public JobStatus convertToEntityAttribute(String column) {
            return column == null ? null : fromWireName(column);
        }
    }
}
