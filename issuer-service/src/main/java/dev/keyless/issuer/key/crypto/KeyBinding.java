package dev.keyless.issuer.key.crypto;

import dev.keyless.issuer.key.model.KeyTimeline;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Binds a key's public half and timeline under the key-encryption key: HMAC-SHA256, under a key derived from the
 * KEK for this purpose only, over kid, algorithm, public JWK and the four instants. Without the KEK nobody can
 * write a row the ring will publish or sign with, nor move a legitimate key's timeline.
 */
public final class KeyBinding {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec macKey;

    KeyBinding(byte[] kekBytes) {
        // a distinct label, so the MAC key is independent of the KEK's use for AES-GCM sealing
        this.macKey = new SecretKeySpec(
                hmac(
                        new SecretKeySpec(kekBytes, ALGORITHM),
                        "keyless signing-key binding v1".getBytes(StandardCharsets.US_ASCII)),
                ALGORITHM);
    }

    /** The MAC of a row's bound fields. Instants count in microseconds, PostgreSQL's precision. */
    public byte[] mac(String kid, String algorithm, String publicJwk, KeyTimeline timeline) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String field : new String[] {kid, algorithm, publicJwk}) {
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            for (Instant instant : new Instant[] {
                timeline.activateAt(), timeline.deactivateAt(), timeline.unpublishAt(), timeline.revokedAt()
            }) {
                out.writeBoolean(instant != null);
                out.writeLong(instant == null ? 0 : ChronoUnit.MICROS.between(Instant.EPOCH, instant));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return hmac(macKey, bytes.toByteArray());
    }

    /** Constant-time check of a stored MAC; a missing one never verifies. */
    public boolean verify(String kid, String algorithm, String publicJwk, KeyTimeline timeline, byte[] stored) {
        return stored != null && MessageDigest.isEqual(mac(kid, algorithm, publicJwk, timeline), stored);
    }

    private static byte[] hmac(SecretKeySpec key, byte[] input) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
