package dev.keyless.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one wire format of job events, used by every producer and consumer so that both sides share a schema:
 * snake_case field names, ISO-8601 instants. Thread-safe.
 */
public final class JobEventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // newer producers may add optional fields within a version
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JobEventCodec() {}

    public static String encode(JobEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "job event cannot be serialized: " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes an event and checks that its version is one this build understands.
     *
     * @throws UnreadableEventException when the payload is not a job event of a known type and version
     */
    public static JobEvent decode(String json) {
        JobEvent event;
        try {
            event = MAPPER.readValue(json, JobEvent.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableEventException("payload is not a known job event", e);
        }
        if (event.version() < 1 || event.version() > event.supportedVersion()) {
            throw new UnreadableEventException(
                    "unsupported version " + event.version() + " of "
                            + event.getClass().getSimpleName(),
                    null);
        }
        if (event.eventId() == null || event.jobId() == null || event.orgId() == null) {
            throw new UnreadableEventException("event lacks event_id, job_id or org_id", null);
        }
        return event;
    }

    /** A record on a job topic that this consumer cannot read; it is logged by id and skipped, never retried forever. */
    public static final class UnreadableEventException extends RuntimeException {
        public UnreadableEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
