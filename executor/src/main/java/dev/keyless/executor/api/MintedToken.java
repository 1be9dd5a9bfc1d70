package dev.keyless.executor.api;

/** {@code POST /api/v1/jobs/{jobId}/oidc-tokens}: a fresh OIDC token for a caller-chosen audience. */
public record MintedToken(String token, String expiresAt) {

    @Override
    public String toString() {
        return "MintedToken[expiresAt=" + expiresAt + "]";
    }
}
