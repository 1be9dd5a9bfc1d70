package dev.keyless.issuer.key.crypto;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Seals private keys with AES-256-GCM under the key-encryption key (KEK). The kid and algorithm are the
 * additional authenticated data, so a sealed key copied onto another row does not open. Layout: 12-byte nonce,
 * then ciphertext with its 16-byte tag.
 */
public final class KeySealer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey kek;
    private final String kekId;
    private final KeyBinding binding;

    private KeySealer(byte[] kekBytes) {
        if (kekBytes.length != 32) {
            throw new IllegalArgumentException("the key-encryption key must be 32 bytes (AES-256), base64-encoded");
        }
        this.kek = new SecretKeySpec(kekBytes, "AES");
        this.kekId = fingerprint(kekBytes);
        this.binding = new KeyBinding(kekBytes);
    }

    /** A KEK given as base64 (standard or url-safe alphabet). */
    public static KeySealer fromBase64(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder()
                    .decode(base64.trim().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key-encryption key is not valid base64");
        }
        return new KeySealer(bytes);
    }

    /** A random KEK for this process only (dev and test). */
    public static KeySealer ephemeral() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new KeySealer(bytes);
    }

    /** Short public fingerprint of the KEK, stored beside each sealed key to detect a KEK mix-up clearly. */
    public String kekId() {
        return kekId;
    }

    /** The MAC binding keys' public data and timelines under this KEK. */
    public KeyBinding binding() {
        return binding;
    }

    public byte[] seal(SigningKey key) {
        byte[] plain = key.encodedPrivateKey();
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(key.kid(), key.algorithm()));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal signing key " + key.kid(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    public SigningKey unseal(String kid, SigningAlgorithm algorithm, byte[] sealed, String publicJwkJson) {
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(aad(kid, algorithm));
            plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return SigningKey.restore(kid, algorithm, plain, publicJwkJson);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " does not open under the configured KEK");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static byte[] aad(String kid, SigningAlgorithm algorithm) {
        return (kid + "|" + algorithm.name()).getBytes(StandardCharsets.UTF_8);
    }

    private static String fingerprint(byte[] kekBytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ByteBuffer.allocate(kekBytes.length + 9)
                            .put("kek-id-v1".getBytes(StandardCharsets.US_ASCII))
                            .put(kekBytes)
                            .array());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
