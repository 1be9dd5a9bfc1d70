package dev.keyless.issuer.key.crypto;

import java.util.Locale;

/** The JWS algorithms the issuer signs with: the two that AWS STS and GCP STS both accept. */
public enum SigningAlgorithm {
    RS256("SHA256withRSA", "RSA"),
    /** P1363 output is the JWS R||S form, so no DER transcoding is needed. */
    ES256("SHA256withECDSAinP1363Format", "EC");

    private final String jcaName;
    private final String keyType;

    SigningAlgorithm(String jcaName, String keyType) {
        this.jcaName = jcaName;
        this.keyType = keyType;
    }

    public String jcaName() {
        return jcaName;
    }

    public String keyType() {
        return keyType;
    }

    public static SigningAlgorithm parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported signing algorithm '" + name + "' (RS256 or ES256)");
        }
    }
}
