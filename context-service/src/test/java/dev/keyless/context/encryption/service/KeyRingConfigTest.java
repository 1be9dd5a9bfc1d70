package dev.keyless.context.encryption.service;

import dev.keyless.context.config.ContextConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a usable key-encryption key the service refuses to start (the key ring is built at startup). */
class KeyRingConfigTest {

    private static ContextConfig config(Optional<String> key, Optional<Path> file, Map<String, String> previous) {
        return (ContextConfig) Proxy.newProxyInstance(
                ContextConfig.class.getClassLoader(),
                new Class<?>[] {ContextConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "keyEncryptionKey" -> key;
                    case "keyEncryptionKeyFile" -> file;
                    case "keyEncryptionKeyId" -> "kek-2";
                    case "previousKeyEncryptionKeys" -> previous;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String key32() {
        return Base64.getEncoder().encodeToString(new byte[32]);
    }

    @Test
    void noKeyConfiguredRefusesToStartWithTheSettingToUse() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> KeyRing.from(config(Optional.empty(), Optional.empty(), Map.of())));
        assertTrue(e.getMessage().contains("keyless.context.key-encryption-key"), e.getMessage());
    }

    @Test
    void aKeyOfTheWrongLengthOrNotBase64IsRefused() {
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertThrows(
                IllegalStateException.class,
                () -> KeyRing.from(config(Optional.of(sixteen), Optional.empty(), Map.of())));
        assertThrows(
                IllegalStateException.class,
                () -> KeyRing.from(config(Optional.of("%%%"), Optional.empty(), Map.of())));
        assertThrows(
                IllegalStateException.class,
                () -> KeyRing.from(config(Optional.of(key32()), Optional.empty(), Map.of("kek-1", sixteen))));
    }

    @Test
    void theKeyCanComeFromAFileAndPreviousKeysJoinTheRing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kek");
        Files.writeString(file, key32() + "\n");
        KeyRing ring = KeyRing.from(config(Optional.empty(), Optional.of(file), Map.of("kek-1", key32())));
        assertEquals("kek-2", ring.currentId());
        assertEquals(Set.of("kek-1", "kek-2"), ring.ids());
    }
}
