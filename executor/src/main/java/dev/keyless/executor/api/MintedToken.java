package dev.keyless.executor.api;

import java.io.IOException;
import java.util.Base64;

/** {@code POST /api/v1/jobs/{jobId}/oidc-tokens}: a fresh OIDC token for a caller-chosen audience. */
public record MintedToken(String token, String expiresAt) {

    /** The token's {@code sub} (not a secret: relying parties' trust policies name it), or "?" if unreadable. */
    public String subject() {
        try {
            String payload = token.split("\\.")[1];
            return KeylessApi.JSON
                    .readTree(Base64.getUrlDecoder().decode(payload))
                    .path("sub")
                    .asText("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public String toString() {
        return "MintedToken[expiresAt=" + expiresAt + "]";
    }
}
