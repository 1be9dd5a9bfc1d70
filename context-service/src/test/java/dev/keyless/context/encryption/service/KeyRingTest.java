package dev.keyless.context.encryption.service;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRingTest {

    private static final String CONTEXT = UUID.randomUUID().toString();

    @Test
    void aDataKeyWrappedByAPreviousKekStillUnwrapsAfterRotation() {
        SecretKey oldKek = Aead.newKey();
        KeyRing before = new KeyRing("old", Map.of("old", oldKek));
        SecretKey dataKey = Aead.newKey();
        byte[] wrapped = before.wrap(dataKey, CONTEXT);

        KeyRing after = new KeyRing("new", Map.of("old", oldKek, "new", Aead.newKey()));
        assertArrayEquals(
                dataKey.getEncoded(), after.unwrap(wrapped, "old", CONTEXT).getEncoded());
    }

    @Test
    void aKekThatIsNoLongerConfiguredCannotUnwrapAndSaysWhatToConfigure() {
        KeyRing ring = new KeyRing("new", Map.of("new", Aead.newKey()));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> ring.unwrap(new byte[40], "old", CONTEXT));
        assertTrue(e.getMessage().contains("previous-key-encryption-keys"), e.getMessage());
    }

    @Test
    void aWrappedKeyMovedToAnotherContextDoesNotUnwrap() {
        KeyRing ring = new KeyRing("k", Map.of("k", Aead.newKey()));
        byte[] wrapped = ring.wrap(Aead.newKey(), CONTEXT);
        assertThrows(
                Aead.DecryptionException.class,
                () -> ring.unwrap(wrapped, "k", UUID.randomUUID().toString()));
    }

    @Test
    void aTamperedCiphertextDoesNotDecrypt() {
        SecretKey key = Aead.newKey();
        byte[] sealed = Aead.encrypt(key, "value".getBytes(), "slot");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(Aead.DecryptionException.class, () -> Aead.decrypt(key, sealed, "slot"));
    }
}
