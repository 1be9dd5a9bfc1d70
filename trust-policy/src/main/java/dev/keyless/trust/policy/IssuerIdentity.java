package dev.keyless.trust.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The issuer a relying party must trust for one org, and the claims it mints.
 *
 * @param issuer          {@code iss} of the org's tokens, {@code {base}/org/{orgId}}
 * @param claimNamespace  prefix of the namespaced claims, e.g. {@code oidc.keyless.dev}
 * @param defaultSubjects whether {@code sub} has the default shape ({@code org/{orgId}/project/...}); false when a
 *                        subject template shapes it, so shape checks are skipped
 */
public record IssuerIdentity(String issuer, UUID orgId, String claimNamespace, boolean defaultSubjects) {

    /** The namespaced claims every job token carries, after {@code {ns}/}. */
    public static final List<String> NAMESPACED_CLAIMS = List.of(
            "project-id", "context-ids", "vcs-origin", "vcs-ref", "ssh-rerun", "pipeline-id", "workflow-id", "job-id");

    /** The issuer URL without its scheme: AWS names OIDC providers and condition keys by it. */
    public String providerPath() {
        String path = issuer.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public String claim(String name) {
        return claimNamespace + "/" + name;
    }

    /** Every claim name a Keyless job token carries. */
    public Set<String> mintedClaims() {
        Set<String> names = new LinkedHashSet<>(List.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti"));
        NAMESPACED_CLAIMS.forEach(name -> names.add(claim(name)));
        return names;
    }

    /** The first part of every default-shaped subject. */
    public String subjectPrefix() {
        return "org/" + orgId + "/project/";
    }
}
