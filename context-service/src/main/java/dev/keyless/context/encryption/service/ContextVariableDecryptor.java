package dev.keyless.context.encryption.service;

import dev.keyless.context.context.model.Context;
import dev.keyless.context.context.model.ContextVariable;
import dev.keyless.context.context.repository.VariableRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.SecretKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The plaintext variables of a job's contexts, one data key unwrapped per context that has variables. */
@ApplicationScoped
public class ContextVariableDecryptor {

    private final VariableRepository variables;
    private final ContextCipher cipher;

    public ContextVariableDecryptor(VariableRepository variables, ContextCipher cipher) {
        this.variables = variables;
        this.cipher = cipher;
    }

    /** By name, in the contexts' order; on a name clash the first context that defines the name wins. */
    public Uni<Map<String, String>> merged(List<Context> contexts) {
        return variables
                .listByContexts(contexts.stream().map(c -> c.id).toList())
                .map(all -> {
                    Map<UUID, List<ContextVariable>> byContext =
                            all.stream().collect(Collectors.groupingBy(v -> v.contextId));
                    Map<String, String> merged = new LinkedHashMap<>();
                    for (Context context : contexts) {
                        List<ContextVariable> own = byContext.getOrDefault(context.id, List.of());
                        if (own.isEmpty()) {
                            continue;
                        }
                        SecretKey dataKey = cipher.dataKey(context);
                        for (ContextVariable variable : own) {
                            if (!merged.containsKey(variable.name)) {
                                merged.put(
                                        variable.name,
                                        cipher.decrypt(dataKey, context.id, variable.name, variable.ciphertext));
                            }
                        }
                    }
                    return merged;
                });
    }
}
