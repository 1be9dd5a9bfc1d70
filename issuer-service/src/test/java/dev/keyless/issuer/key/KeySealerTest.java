package dev.keyless.issuer.key;

import dev.keyless.issuer.key.crypto.KeySealer;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySealerTest {

    private static final String KEK = Base64.getEncoder().encodeToString(new byte[32]);

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void sealedKeyOpensUnderTheSameKekAndSignsVerifiably(SigningAlgorithm algorithm) throws Exception {
        KeySealer sealer = KeySealer.fromBase64(KEK);
        SigningKey key = SigningKey.generate("kid-1", algorithm, 2048);
        byte[] sealed = sealer.seal(key);
        SigningKey restored = sealer.unseal("kid-1", algorithm, sealed, key.publicJwkJson());
        byte[] input = "payload".getBytes(StandardCharsets.US_ASCII);
        Signature verifier = Signature.getInstance(algorithm.jcaName());
        verifier.initVerify(key.publicKey());
        verifier.update(input);
        assertTrue(verifier.verify(restored.sign(input)));
        assertEquals(key.publicJwkJson(), restored.publicJwkJson());
    }

    @Test
    void sealedBytesNeverContainThePrivateKeyInClear() {
        KeySealer sealer = KeySealer.fromBase64(KEK);
        SigningKey key = SigningKey.generate("kid-1", SigningAlgorithm.ES256, 2048);
        byte[] sealed = sealer.seal(key);
        byte[] again = sealer.seal(key);
        assertFalse(Arrays.equals(sealed, again), "fresh nonce per seal");
    }

    @Test
    void anotherKekCannotOpenAKey() {
        SigningKey key = SigningKey.generate("kid-1", SigningAlgorithm.ES256, 2048);
        byte[] sealed = KeySealer.fromBase64(KEK).seal(key);
        KeySealer other = KeySealer.ephemeral();
        assertNotEquals(KeySealer.fromBase64(KEK).kekId(), other.kekId());
        assertThrows(
                IllegalStateException.class,
                () -> other.unseal("kid-1", SigningAlgorithm.ES256, sealed, key.publicJwkJson()));
    }

    @Test
    void sealedKeyMovedToAnotherKidOrTamperedDoesNotOpen() {
        KeySealer sealer = KeySealer.fromBase64(KEK);
        SigningKey key = SigningKey.generate("kid-1", SigningAlgorithm.ES256, 2048);
        byte[] sealed = sealer.seal(key);
        assertThrows(
                IllegalStateException.class,
                () -> sealer.unseal("kid-2", SigningAlgorithm.ES256, sealed, key.publicJwkJson()));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(
                IllegalStateException.class,
                () -> sealer.unseal("kid-1", SigningAlgorithm.ES256, tampered, key.publicJwkJson()));
    }

    @Test
    void keyWhosePrivatePartDoesNotMatchItsPublishedJwkIsRefused() {
        KeySealer sealer = KeySealer.fromBase64(KEK);
        SigningKey key = SigningKey.generate("kid-1", SigningAlgorithm.ES256, 2048);
        SigningKey stranger = SigningKey.generate("kid-1", SigningAlgorithm.ES256, 2048);
        assertThrows(
                IllegalStateException.class,
                () -> sealer.unseal("kid-1", SigningAlgorithm.ES256, sealer.seal(key), stranger.publicJwkJson()));
    }

    @Test
    void kekMustBe32Bytes() {
        assertThrows(
                IllegalArgumentException.class,
                () -> KeySealer.fromBase64(Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> KeySealer.fromBase64("not base64 !"));
    }

    @Test
    void rsaKeysSmallerThan2048BitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SigningKey.generate("k", SigningAlgorithm.RS256, 1024));
    }

    @Test
    void publishedJwkHasNoPrivatePartsAndNoKeyOps() {
        String jwk = SigningKey.generate("k", SigningAlgorithm.RS256, 2048).publicJwkJson();
        assertTrue(
                jwk.contains("\"use\":\"sig\"") && jwk.contains("\"alg\":\"RS256\"") && jwk.contains("\"kid\":\"k\""));
        for (String member : new String[] {"\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "key_ops"}) {
            assertFalse(jwk.contains(member), member);
        }
    }
}
