package dev.keyless.context.encryption.service;

import dev.keyless.context.config.ContextConfig;
import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.repository.ContextRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Moves every context's data key to the current key-encryption key. Only the wrapped data keys change; variable
 * ciphertexts are untouched. Rows are locked while re-wrapped, so replicas rotating at once do not conflict.
 */
@ApplicationScoped
public class KeyRotationService {

    private static final Logger LOG = Logger.getLogger(KeyRotationService.class);
    private static final int BATCH = 100;

    private final ContextRepository contexts;
    private final ContextCipher cipher;
    private final ContextConfig config;

    public KeyRotationService(ContextRepository contexts, ContextCipher cipher, ContextConfig config) {
        this.contexts = contexts;
        this.cipher = cipher;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (config.rewrapAtStartup()) {
            VertxContextSupport.subscribeAndAwait(this::rewrapAll);
        }
    }

    /** @return how many data keys were re-wrapped */
    public Uni<Integer> rewrapAll() {
        return rewrapBatch()
                .chain(count -> count < BATCH
                        ? Uni.createFrom().item(count)
                        : rewrapAll().map(more -> more + count))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof(
                                "re-wrapped %d context data keys under key-encryption key '%s'",
                                count, cipher.currentKekId());
                    }
                });
    }

    private Uni<Integer> rewrapBatch() {
        return Panache.withTransaction(() -> contexts.find("kekId <> ?1", cipher.currentKekId())
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, BATCH)
                .list()
                .map(this::rewrap));
    }

    private int rewrap(List<Context> batch) {
        int count = 0;
        for (Context context : batch) {
            if (cipher.rewrap(context)) {
                count++;
            }
        }
        return count;
    }
}
