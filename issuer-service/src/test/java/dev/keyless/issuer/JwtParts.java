package dev.keyless.issuer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/** Decodes a compact JWS without verifying it, to look at the exact JSON the issuer wrote. */
final class JwtParts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JwtParts() {}

    static Map<String, Object> header(String token) {
        return decode(token.split("\\.")[0]);
    }

    static Map<String, Object> claims(String token) {
        return decode(token.split("\\.")[1]);
    }

    private static Map<String, Object> decode(String part) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(part), new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
