package dev.keyless.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds admin tokens and job credentials for tests, including hostile ones (unsigned, HS256 keyed with the
 * public key, foreign key, expired, not yet valid, wrong issuer or audience, tampered).
 *
 * <p>Contracts mirrored here: admin tokens have {@code iss=keyless-admin}, {@code aud=keyless-api},
 * {@code groups} ({@code platform-admin} or {@code org-admin}) and {@code org_id} for org admins; job credentials
 * have {@code iss=keyless-scheduler}, {@code aud=keyless-executor}, {@code sub=job/{jobId}}, {@code job_id},
 * {@code org_id} and {@code exp} at the job's timeout.
 */
public final class TestTokens {

    public static final String ADMIN_ISSUER = "keyless-admin";
    public static final String ADMIN_AUDIENCE = "keyless-api";
    public static final String JOB_CREDENTIAL_ISSUER = "keyless-scheduler";
    public static final String JOB_CREDENTIAL_AUDIENCE = "keyless-executor";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {}

    public static String orgAdmin(UUID orgId) {
        return adminClaims("org-admin", orgId).sign();
    }

    public static String platformAdmin() {
        return adminClaims("platform-admin", null).sign();
    }

    public static Builder adminClaims(String role, UUID orgId) {
        Builder builder = new Builder(TestKeys.get().admin().getPrivate())
                .claim("iss", ADMIN_ISSUER)
                .claim("aud", ADMIN_AUDIENCE)
                .claim("sub", "admin-" + UUID.randomUUID())
                .claim("groups", List.of(role));
        return orgId == null ? builder : builder.claim("org_id", orgId.toString());
    }

    public static String jobCredential(UUID jobId, UUID orgId) {
        return jobCredentialClaims(jobId, orgId).sign();
    }

    public static Builder jobCredentialClaims(UUID jobId, UUID orgId) {
        return new Builder(TestKeys.get().jobCredential().getPrivate())
                .claim("iss", JOB_CREDENTIAL_ISSUER)
                .claim("aud", JOB_CREDENTIAL_AUDIENCE)
                .claim("sub", "job/" + jobId)
                .claim("job_id", jobId.toString())
                .claim("org_id", orgId.toString());
    }

    /** A claim of a token as text, read without verifying it (tests only look at what they were handed). */
    public static String claim(String token, String name) {
        try {
            Object value = JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class)
                    .get(name);
            return value == null ? null : value.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    /** Flips one character of the payload so the signature no longer matches. */
    public static String tamper(String token) {
        String[] parts = token.split("\\.");
        char[] payload = parts[1].toCharArray();
        int middle = payload.length / 2;
        payload[middle] = payload[middle] == 'A' ? 'B' : 'A';
        return parts[0] + "." + new String(payload) + "." + parts[2];
    }

    /** Mutable claim set; signs RS256 unless told otherwise. */
    public static final class Builder {

        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private PrivateKey key;

        private Builder(PrivateKey key) {
            this.key = key;
            header.put("alg", "RS256");
            header.put("typ", "JWT");
            Instant now = Instant.now();
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plus(Duration.ofMinutes(10)).getEpochSecond());
            claims.put("jti", UUID.randomUUID().toString());
        }

        public Builder claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        public Builder header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        public Builder expiresIn(Duration duration) {
            return claim("exp", Instant.now().plus(duration).getEpochSecond());
        }

        public Builder expired() {
            claim("iat", Instant.now().minus(Duration.ofHours(2)).getEpochSecond());
            return claim("exp", Instant.now().minus(Duration.ofHours(1)).getEpochSecond());
        }

        public Builder notBefore(Instant instant) {
            return claim("nbf", instant.getEpochSecond());
        }

        /** Signs with a key that no service trusts. */
        public Builder signedByStranger() {
            this.key = TestKeys.get().stranger().getPrivate();
            return this;
        }

        public String sign() {
            String input = encode(header) + "." + encode(claims);
            try {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(key);
                signature.update(input.getBytes(StandardCharsets.US_ASCII));
                return input + "." + base64(signature.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code alg: none} with an empty signature. */
        public String unsigned() {
            header.put("alg", "none");
            return encode(header) + "." + encode(claims) + ".";
        }

        /** HS256 keyed with the bytes of the trusted public key: the classic algorithm-confusion attack. */
        public String hs256WithPublicKey(byte[] publicKeyBytes) {
            header.put("alg", "HS256");
            String input = encode(header) + "." + encode(claims);
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(publicKeyBytes, "HmacSHA256"));
                return input + "." + base64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String encode(Map<String, Object> map) {
            try {
                return base64(JSON.writeValueAsBytes(map));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String base64(byte[] bytes) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
