package dev.keyless.issuer.key.service;

import java.util.List;

/**
 * The keys a relying party may verify with, as of a ring version.
 *
 * @param keys newest first
 */
public record PublishedKeys(long ringVersion, List<Jwk> keys) {

    /** One published key: its id and its public JWK as stored. */
    public record Jwk(String kid, String json) {}

    public List<String> kids() {
        return keys.stream().map(Jwk::kid).toList();
    }
}
