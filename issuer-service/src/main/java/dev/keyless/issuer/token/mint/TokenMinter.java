package dev.keyless.issuer.token.mint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.issuer.key.crypto.SigningKey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Serializes a claim set and signs it as a compact JWS with the given key. Plain Java (no container), so the
 * benchmark measures exactly the code the service runs. Thread-safe.
 */
public final class TokenMinter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public String mint(SigningKey key, Map<String, Object> claims) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims cannot be serialized", e);
        }
        String signingInput = key.encodedHeader() + "." + BASE64URL.encodeToString(payload);
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }
}
