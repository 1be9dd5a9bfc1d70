package dev.keyless.context.encryption.service;

import dev.keyless.context.context.model.Context;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Envelope encryption of context variables: each context has its own AES-256 data key, stored wrapped by the
 * current key-encryption key; values are encrypted under the data key with the context id and variable name as
 * associated data.
 */
@ApplicationScoped
public class ContextCipher {

    private final KeyRing keyRing;

    public ContextCipher(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /** Gives a new context its wrapped data key. */
    public void assignDataKey(Context context) {
        context.dataKey = keyRing.wrap(Aead.newKey(), context.id.toString());
        context.kekId = keyRing.currentId();
    }

    /** The context's data key, unwrapped for one operation. */
    public SecretKey dataKey(Context context) {
        return keyRing.unwrap(context.dataKey, context.kekId, context.id.toString());
    }

    public byte[] encrypt(SecretKey dataKey, UUID contextId, String name, String value) {
        return Aead.encrypt(dataKey, value.getBytes(StandardCharsets.UTF_8), valueAad(contextId, name));
    }

    public String decrypt(SecretKey dataKey, UUID contextId, String name, byte[] ciphertext) {
        return new String(Aead.decrypt(dataKey, ciphertext, valueAad(contextId, name)), StandardCharsets.UTF_8);
    }

    /** Re-wraps the context's data key under the current KEK; values stay as they are. */
    public boolean rewrap(Context context) {
        if (keyRing.currentId().equals(context.kekId)) {
            return false;
        }
        SecretKey dataKey = dataKey(context);
        context.dataKey = keyRing.wrap(dataKey, context.id.toString());
        context.kekId = keyRing.currentId();
        return true;
    }

    public String currentKekId() {
        return keyRing.currentId();
    }

    private static String valueAad(UUID contextId, String name) {
        return "keyless-context-variable|" + contextId + "|" + name;
    }
}
