package dev.keyless.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;
import java.util.UUID;

/**
 * A job event as it travels on Kafka: JSON with an explicit {@code type} and {@code version},
 * keyed by {@link #jobId()}. Events never carry a secret value, a token or a job credential.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = JobStarted.class, name = JobStarted.TYPE),
    @JsonSubTypes.Type(value = JobFinished.class, name = JobFinished.TYPE),
    @JsonSubTypes.Type(value = JobCredentialRevoked.class, name = JobCredentialRevoked.TYPE),
    @JsonSubTypes.Type(value = JobContextsResolved.class, name = JobContextsResolved.TYPE),
    @JsonSubTypes.Type(value = JobContextsDenied.class, name = JobContextsDenied.TYPE)
})
public sealed interface JobEvent
        permits JobStarted, JobFinished, JobCredentialRevoked, JobContextsResolved, JobContextsDenied {

    /** Unique per event; consumers de-duplicate redeliveries on it. */
    UUID eventId();

    /** Schema version of this event type; a consumer rejects versions newer than it knows. */
    int version();

    Instant occurredAt();

    UUID jobId();

    UUID orgId();

    /** The Kafka topic this event type is published on. */
    @JsonIgnore
    String topic();

    /** The newest version of this event type that this build reads and writes. */
    @JsonIgnore
    int supportedVersion();
}
