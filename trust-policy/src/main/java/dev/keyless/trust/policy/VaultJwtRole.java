package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Vault JWT auth role as {@code auth/jwt/login} checks a token (Vault docs, "JWT/OIDC auth method API", create
 * role parameters; the checks follow vault-plugin-auth-jwt's path_login.go and claims.go): {@code role_type} must
 * be {@code jwt} (the default, {@code oidc}, refuses JWT logins); a token with an {@code aud} needs
 * {@code bound_audiences} and must match one; {@code bound_subject} is compared exactly; every {@code bound_claims}
 * key must be present and one of its values match one of the bound values (exactly, or with {@code *} wildcards when
 * {@code bound_claims_type} is {@code glob}); {@code user_claim} must be a string claim; every
 * {@code claim_mappings} source present in the token must be a string; {@code groups_claim}, when set, must be
 * present.
 */
final class VaultJwtRole {

    private VaultJwtRole() {}

    static Evaluation evaluate(JsonNode document, Map<String, Object> claims, IssuerIdentity issuer) {
        // `vault read -format=json` wraps the role in "data"
        JsonNode role = document.has("data") && document.get("data").isObject() ? document.get("data") : document;
        List<ConditionOutcome> outcomes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Set<String> minted = issuer.mintedClaims();

        String roleType = text(role, "role_type", "oidc");
        boolean jwt = roleType.equals("jwt");
        add(
                outcomes,
                failures,
                new ConditionOutcome(
                        "role_type",
                        roleType,
                        jwt,
                        jwt
                                ? "accepts JWT logins"
                                : "a role of type '" + roleType
                                        + "' refuses JWT logins (role_type defaults to oidc; set jwt)"));

        List<String> audiences = list(role.get("bound_audiences"));
        List<String> aud = Claims.values(claims, "aud");
        if (audiences.isEmpty()) {
            boolean ok = aud == null;
            add(
                    outcomes,
                    failures,
                    new ConditionOutcome(
                            "bound_audiences",
                            "none",
                            ok,
                            ok
                                    ? "the token has no aud"
                                    : "the token has aud " + Claims.quoted(aud)
                                            + " but the role binds no audience; Vault refuses "
                                            + "it ('audience claim found in JWT but no audiences bound to the role')"));
        } else {
            boolean ok = aud != null && aud.stream().anyMatch(audiences::contains);
            add(
                    outcomes,
                    failures,
                    new ConditionOutcome(
                            "bound_audiences",
                            Claims.quoted(audiences),
                            ok,
                            "the token's aud is " + Claims.quoted(aud) + (ok ? ": bound" : ": not bound")));
        }

        String boundSubject = text(role, "bound_subject", "");
        if (!boundSubject.isEmpty()) {
            Object sub = claims.get("sub");
            boolean ok = boundSubject.equals(sub);
            add(
                    outcomes,
                    failures,
                    new ConditionOutcome(
                            "bound_subject",
                            "'" + boundSubject + "'",
                            ok,
                            "the token's sub is '" + sub + "'" + (ok ? ": equal" : ": differs (compared exactly)")));
            if (issuer.defaultSubjects() && !boundSubject.startsWith(issuer.subjectPrefix())) {
                findings.add(Finding.error(
                        "never_matches",
                        "bound_subject '" + boundSubject + "' can never equal a "
                                + "subject of this org's tokens, which all start with '" + issuer.subjectPrefix()
                                + "'"));
            }
            if (boundSubject.contains("*")) {
                findings.add(Finding.warning(
                        "never_matches",
                        "bound_subject is compared exactly; its '*' is not a "
                                + "wildcard (use bound_claims with bound_claims_type glob)"));
            }
        }

        String claimsType = text(role, "bound_claims_type", "string");
        if (!claimsType.equals("string") && !claimsType.equals("glob")) {
            throw new PolicyFormatException("bound_claims_type must be string or glob");
        }
        boolean glob = claimsType.equals("glob");
        JsonNode bound = role.get("bound_claims");
        boolean subjectBound = !boundSubject.isEmpty();
        if (bound != null && bound.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> entries = bound.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String claim = entry.getKey();
                List<String> expected = list(entry.getValue());
                subjectBound |= claim.equals("sub") || claim.equals(issuer.claim("project-id"));
                if (!minted.contains(claim)) {
                    findings.add(Finding.error(
                            "never_matches",
                            "bound_claims." + claim + ": Keyless never mints this "
                                    + "claim, so every login fails ('claim is missing')"));
                }
                List<String> actual = Claims.values(claims, claim);
                boolean ok = actual != null
                        && actual.stream().anyMatch(a -> expected.stream()
                                .anyMatch(e -> glob ? Glob.vaultMatches(e, a) : e.equals(a)));
                add(
                        outcomes,
                        failures,
                        new ConditionOutcome(
                                "bound_claims." + claim,
                                (glob ? "glob " : "") + Claims.quoted(expected),
                                ok,
                                actual == null
                                        ? "the claim is missing from the token"
                                        : "the token's value is " + Claims.quoted(actual)
                                                + (ok ? ": matches" : ": matches none of the bound values")));
                if (!glob && expected.stream().anyMatch(e -> e.contains("*"))) {
                    findings.add(Finding.warning(
                            "never_matches",
                            "bound_claims." + claim + " has a '*' but "
                                    + "bound_claims_type is string, so it is compared literally"));
                }
            }
        }
        if (!subjectBound) {
            findings.add(Finding.warning(
                    "no_sub_condition",
                    "neither bound_subject nor a bound_claims entry on sub "
                            + "or project-id: every job of this org with a bound audience can log in"));
        }

        String userClaim = text(role, "user_claim", null);
        if (userClaim == null || userClaim.isBlank()) {
            throw new PolicyFormatException("a Vault JWT role needs user_claim");
        }
        Object user = claims.get(userClaim);
        boolean userOk = user instanceof String;
        add(
                outcomes,
                failures,
                new ConditionOutcome(
                        "user_claim",
                        userClaim,
                        userOk,
                        user == null
                                ? "the token has no '" + userClaim + "' claim"
                                : userOk
                                        ? "the alias name is '" + user + "'"
                                        : "'" + userClaim
                                                + "' is not a string claim, so it cannot name the entity alias"));
        if (!minted.contains(userClaim)) {
            findings.add(Finding.error("never_matches", "user_claim '" + userClaim + "' is not a claim Keyless mints"));
        }

        String groupsClaim = text(role, "groups_claim", "");
        if (!groupsClaim.isEmpty()) {
            Object groups = claims.get(groupsClaim);
            boolean ok = groups instanceof String || groups instanceof Collection<?>;
            add(
                    outcomes,
                    failures,
                    new ConditionOutcome(
                            "groups_claim",
                            groupsClaim,
                            ok,
                            groups == null
                                    ? "the token has no '" + groupsClaim + "' claim"
                                    : ok ? "present" : "neither a string nor a list"));
        }

        JsonNode mappings = role.get("claim_mappings");
        if (mappings != null && mappings.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> entries = mappings.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                Object value = claims.get(entry.getKey());
                // a missing source is skipped; a present one must be a string
                boolean ok = value == null || value instanceof String;
                add(
                        outcomes,
                        failures,
                        new ConditionOutcome(
                                "claim_mappings." + entry.getKey(),
                                "-> metadata " + entry.getValue().asText(),
                                ok,
                                value == null
                                        ? "absent, skipped"
                                        : ok
                                                ? "'" + value + "'"
                                                : "not a string, so Vault fails the login ('error converting claim "
                                                        + "to string'); map only string claims"));
            }
        }
        return new Evaluation(failures.isEmpty(), failures.isEmpty() ? null : failures.get(0), outcomes, findings);
    }

    private static void add(List<ConditionOutcome> outcomes, List<String> failures, ConditionOutcome outcome) {
        outcomes.add(outcome);
        if (!outcome.passed()) {
            failures.add(outcome.source() + " " + outcome.check() + ": " + outcome.explanation());
        }
    }

    /** Vault accepts a list or a comma-separated string for list parameters. */
    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static String text(JsonNode role, String field, String fallback) {
        JsonNode node = role.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }
}
