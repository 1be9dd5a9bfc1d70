package dev.keyless.issuer.key.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;

/**
 * A signing key pair. The private key exists in memory only inside this class: callers get signatures, the
 * public JWK and (for sealing under the KEK, through {@link KeySealer}) the encoded private key.
 */
public final class SigningKey {

    private final String kid;
    private final SigningAlgorithm algorithm;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String publicJwkJson;
    private final String encodedHeader;
    // Signature objects are not thread-safe and costly to initialise: one per thread, initialised once
    private final ThreadLocal<Signature> signers;

    private SigningKey(String kid, SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicJwkJson = publicJwk(kid, algorithm, publicKey).toJSONString();
        this.encodedHeader = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"alg\":\"" + algorithm.name() + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}")
                        .getBytes(StandardCharsets.UTF_8));
        this.signers = ThreadLocal.withInitial(() -> {
            try {
                Signature signature = Signature.getInstance(algorithm.jcaName());
                signature.initSign(this.privateKey);
                return signature;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot initialise " + algorithm + " signing", e);
            }
        });
    }

    /** Generates a fresh key pair: RSA of {@code rsaKeySize} bits for RS256, P-256 for ES256. */
    public static SigningKey generate(String kid, SigningAlgorithm algorithm, int rsaKeySize) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyType());
            if (algorithm == SigningAlgorithm.RS256) {
                if (rsaKeySize < 2048) {
                    throw new IllegalArgumentException("RSA signing keys must be 2048 bits or larger");
                }
                generator.initialize(rsaKeySize);
            } else {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(kid, algorithm, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    /** Wraps an existing key pair (e.g. imported, or shared with a benchmark's raw-signing baseline). */
    public static SigningKey of(String kid, SigningAlgorithm algorithm, KeyPair pair) {
        if (!algorithm.keyType().equals(pair.getPrivate().getAlgorithm())) {
            throw new IllegalArgumentException(
                    "a " + pair.getPrivate().getAlgorithm() + " key cannot sign " + algorithm);
        }
        return new SigningKey(kid, algorithm, pair.getPrivate(), pair.getPublic());
    }

    /** Rebuilds a key from its PKCS#8 private part (unsealed by {@link KeySealer}) and its published JWK. */
    static SigningKey restore(String kid, SigningAlgorithm algorithm, byte[] pkcs8, String publicJwkJson) {
        try {
            PrivateKey privateKey =
                    KeyFactory.getInstance(algorithm.keyType()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey publicKey = publicKeyOf(publicJwkJson);
            SigningKey key = new SigningKey(kid, algorithm, privateKey, publicKey);
            key.selfTest();
            return key;
        } catch (GeneralSecurityException | ParseException e) {
            throw new IllegalStateException("signing key " + kid + " cannot be restored", e);
        }
    }

    /** Parses a published JWK into the public key a verifier would use. */
    public static PublicKey publicKeyOf(String publicJwkJson) throws ParseException, GeneralSecurityException {
        JWK jwk = JWK.parse(publicJwkJson);
        try {
            if (jwk instanceof RSAKey rsa) {
                return rsa.toPublicKey();
            }
            if (jwk instanceof ECKey ec) {
                return ec.toPublicKey();
            }
        } catch (JOSEException e) {
            throw new GeneralSecurityException("unusable JWK", e);
        }
        throw new GeneralSecurityException("unsupported JWK type " + jwk.getKeyType());
    }

    private static JWK publicJwk(String kid, SigningAlgorithm algorithm, PublicKey publicKey) {
        if (algorithm == SigningAlgorithm.RS256) {
            return new RSAKey.Builder((RSAPublicKey) publicKey)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .build();
        }
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey)
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .build();
    }

    /** A restored private key must match the published public key, or it would ship unverifiable tokens. */
    private void selfTest() throws GeneralSecurityException {
        byte[] probe = ("self-test " + kid).getBytes(StandardCharsets.UTF_8);
        Signature verifier = Signature.getInstance(algorithm.jcaName());
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(sign(probe))) {
            throw new GeneralSecurityException("private key does not match the published key");
        }
    }

    /** Signs {@code input} (the JWS signing input) and returns the raw JWS signature. */
    public byte[] sign(byte[] input) {
        Signature signature = signers.get();
        try {
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            signers.remove();
            throw new IllegalStateException("signing with key " + kid + " failed", e);
        }
    }

    /** PKCS#8 bytes of the private key, only for sealing under the KEK. */
    byte[] encodedPrivateKey() {
        return privateKey.getEncoded();
    }

    public String kid() {
        return kid;
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public JWK as published: kid, kty, alg, use=sig and the public parameters only. */
    public String publicJwkJson() {
        return publicJwkJson;
    }

    /** base64url of {@code {"alg":..,"kid":..,"typ":"JWT"}}, the same for every token of this key. */
    public String encodedHeader() {
        return encodedHeader;
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + algorithm + "]";
    }
}
