package dev.keyless.context.jobs.messaging;

import dev.keyless.context.jobs.service.JobResolutionService;
import dev.keyless.events.JobCredentialRevoked;
import dev.keyless.events.JobFinished;
import dev.keyless.events.JobStarted;
import dev.keyless.messaging.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * JobStarted, JobCredentialRevoked and JobFinished from the scheduler, each applied once (inbox) with its effects
 * in one transaction.
 */
@ApplicationScoped
public class JobLifecycleConsumer {

    static final String CONSUMER = "context-service";

    private final Inbox inbox;
    private final JobResolutionService resolution;

    public JobLifecycleConsumer(Inbox inbox, JobResolutionService resolution) {
        this.inbox = inbox;
        this.resolution = resolution;
    }

    @Incoming("job-lifecycle")
    public Uni<Void> consume(String payload) {
        return inbox.process(CONSUMER, payload, event -> {
            if (event instanceof JobStarted started) {
                return resolution.onJobStarted(started);
            }
            if (event instanceof JobFinished finished) {
                return resolution.onJobFinished(finished);
            }
            if (event instanceof JobCredentialRevoked revoked) {
                return resolution.onJobCredentialRevoked(revoked);
            }
            return Uni.createFrom().voidItem();
        });
    }
}
