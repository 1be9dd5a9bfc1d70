package dev.keyless.issuer.key.service;

import com.nimbusds.jose.jwk.JWK;
import dev.keyless.issuer.key.model.SigningKeyEntity;

import java.text.ParseException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** A signing key as the admin API shows it: public data and state, never private material. */
public record KeyView(
        String kid,
        String algorithm,
        String state,
        Instant createdAt,
        Instant activateAt,
        Instant deactivateAt,
        Instant unpublishAt,
        Instant revokedAt,
        Map<String, Object> publicJwk) {

    /** {@code trusted}: the row's KEK binding holds; a row failing it shows as {@code untrusted}. */
    static KeyView of(SigningKeyEntity row, Instant now, boolean trusted) {
        Map<String, Object> jwk;
        try {
            jwk = JWK.parse(row.publicJwk).toJSONObject();
        } catch (ParseException e) {
            jwk = Map.of();
        }
        String state = trusted ? row.timeline().stateAt(now).name().toLowerCase(Locale.ROOT) : "untrusted";
        return new KeyView(
                row.kid,
                row.algorithm,
                state,
                row.createdAt,
                row.activateAt,
                row.deactivateAt,
                row.unpublishAt,
                row.revokedAt,
                jwk);
    }
}
