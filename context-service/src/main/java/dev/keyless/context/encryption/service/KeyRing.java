package dev.keyless.context.encryption.service;

import dev.keyless.context.config.ContextConfig;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key-encryption keys (KEKs): the current one wraps new data keys; previous ones, by id, still unwrap data
 * keys written before a rotation. Built once at startup: without a usable current KEK the service does not start.
 */
public final class KeyRing {

    private final String currentId;
    private final Map<String, SecretKey> keys;

    KeyRing(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = Map.copyOf(keys);
    }

    /** @throws IllegalStateException when no current KEK is configured or a KEK is not base64 of 32 bytes */
    public static KeyRing from(ContextConfig config) {
        String encoded = config.keyEncryptionKey()
                .or(() -> config.keyEncryptionKeyFile().map(path -> {
                    try {
                        return Files.readString(path).trim();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the key-encryption key file " + path, e);
                    }
                }))
                .orElseThrow(() -> new IllegalStateException("no key-encryption key configured: set "
                        + "keyless.context.key-encryption-key or keyless.context.key-encryption-key-file "
                        + "(base64 of 32 random bytes)"));
        Map<String, SecretKey> keys = new HashMap<>();
        config.previousKeyEncryptionKeys().forEach((id, value) -> keys.put(id, decode(id, value)));
        keys.put(config.keyEncryptionKeyId(), decode(config.keyEncryptionKeyId(), encoded));
        return new KeyRing(config.keyEncryptionKeyId(), keys);
    }

    private static SecretKey decode(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key-encryption key '" + id + "' is not valid base64");
        }
        if (bytes.length != Aead.KEY_BYTES) {
            throw new IllegalStateException("key-encryption key '" + id + "' must be 32 bytes, not " + bytes.length);
        }
        return Aead.key(bytes);
    }

    public String currentId() {
        return currentId;
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    /** Wraps a context's data key under the current KEK; the context id is bound as associated data. */
    public byte[] wrap(SecretKey dataKey, String contextId) {
        return Aead.encrypt(keys.get(currentId), dataKey.getEncoded(), wrapAad(currentId, contextId));
    }

    /** @throws IllegalStateException when {@code kekId} is no longer configured */
    public SecretKey unwrap(byte[] wrapped, String kekId, String contextId) {
        SecretKey kek = keys.get(kekId);
        if (kek == null) {
            throw new IllegalStateException("data key wrapped by unknown key-encryption key '" + kekId
                    + "': configure it under keyless.context.previous-key-encryption-keys");
        }
        return Aead.key(Aead.decrypt(kek, wrapped, wrapAad(kekId, contextId)));
    }

    private static String wrapAad(String kekId, String contextId) {
        return "keyless-context-data-key|" + kekId + "|" + contextId;
    }
}
