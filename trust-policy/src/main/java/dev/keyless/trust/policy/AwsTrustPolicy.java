package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM role trust policy as IAM evaluates it for {@code sts:AssumeRoleWithWebIdentity}: an explicit Deny wins,
 * else some Allow statement must name this org's OIDC provider, the action, and have every condition true.
 * <p>
 * Condition semantics (IAM User Guide, "IAM JSON policy elements: Condition operators" and "Multivalued context
 * keys"): operators of one block are ANDed, keys of one operator ANDed, values of one key ORed; a negated operator
 * is true when the key matches none of the values; a missing key makes every operator false except the negated
 * ones and {@code ...IfExists}; {@code ForAnyValue} on a missing key is false, {@code ForAllValues} true. For an
 * OIDC provider other than the well-known ones IAM exposes only {@code <provider>:aud} (the token's {@code azp}
 * when present, else {@code aud}) and {@code <provider>:sub}; a namespaced claim is never a condition key.
 */
final class AwsTrustPolicy {

    static final String ACTION = "sts:AssumeRoleWithWebIdentity";
    private static final Pattern PROVIDER_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/(.+)");
    private static final Set<String> BASE_OPERATORS = Set.of(
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
            "Null");

    private AwsTrustPolicy() {}

    static Evaluation evaluate(JsonNode policy, Map<String, Object> claims, IssuerIdentity issuer) {
        JsonNode statements = policy.get("Statement");
        if (statements == null || !(statements.isArray() || statements.isObject())) {
            throw new PolicyFormatException("an IAM policy needs a Statement (an object or an array of objects)");
        }
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        List<ConditionOutcome> outcomes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        String provider = issuer.providerPath();
        String allowedBy = null;
        String deniedBy = null;
        String firstAllowFailure = null;
        boolean anyAllowForUs = false;
        boolean subPinned = false;
        boolean audPinned = false;
        for (int i = 0; i < list.size(); i++) {
            JsonNode statement = list.get(i);
            String where = "Statement[" + i + "]";
            if (!statement.isObject()) {
                throw new PolicyFormatException(where + " must be an object");
            }
            String effect = text(statement.get("Effect"));
            if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
                throw new PolicyFormatException(where + ".Effect must be Allow or Deny");
            }
            if (statement.has("NotPrincipal") || statement.has("NotAction")) {
                findings.add(Finding.warning(
                        "unsupported",
                        where + " uses NotPrincipal or NotAction, which the "
                                + "simulator does not evaluate; the statement is skipped"));
                continue;
            }
            boolean principal = principalMatches(statement.get("Principal"), provider, findings, where);
            outcomes.add(new ConditionOutcome(
                    where + ".Principal",
                    "Federated names " + providerArnHint(provider),
                    principal,
                    principal
                            ? "names this org's OIDC provider"
                            : "does not name the OIDC provider of this org's issuer (oidc-provider/" + provider + ")"));
            boolean action = actionMatches(statement.get("Action"));
            outcomes.add(new ConditionOutcome(
                    where + ".Action", ACTION, action, action ? "allows " + ACTION : "does not include " + ACTION));
            String failure = !principal
                    ? where + ": Principal.Federated does not name this org's OIDC provider "
                            + "(arn:aws:iam::<account>:oidc-provider/" + provider + ")"
                    : !action ? where + ": Action does not include " + ACTION : null;
            JsonNode condition = statement.get("Condition");
            if (condition != null && !condition.isObject()) {
                throw new PolicyFormatException(where + ".Condition must be an object");
            }
            if (condition != null) {
                Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
                while (operators.hasNext()) {
                    Map.Entry<String, JsonNode> operator = operators.next();
                    if (!operator.getValue().isObject()) {
                        throw new PolicyFormatException(
                                where + ".Condition." + operator.getKey() + " must map condition keys to values");
                    }
                    Iterator<Map.Entry<String, JsonNode>> keys =
                            operator.getValue().fields();
                    while (keys.hasNext()) {
                        Map.Entry<String, JsonNode> key = keys.next();
                        ConditionOutcome outcome = condition(
                                where + ".Condition." + operator.getKey(),
                                operator.getKey(),
                                key.getKey(),
                                values(key.getValue(), where),
                                claims,
                                issuer,
                                findings);
                        outcomes.add(outcome);
                        if ("Allow".equals(effect) && principal) {
                            String claim = claimOf(key.getKey(), provider);
                            subPinned |= "sub".equals(claim) && !negated(operator.getKey());
                            audPinned |= "aud".equals(claim) && !negated(operator.getKey());
                        }
                        if (!outcome.passed() && failure == null) {
                            failure = outcome.source() + " " + outcome.check() + ": " + outcome.explanation();
                        }
                    }
                }
            }
            if ("Allow".equals(effect)) {
                anyAllowForUs |= principal && action;
                if (failure == null && allowedBy == null) {
                    allowedBy = where;
                } else if (failure != null && firstAllowFailure == null) {
                    firstAllowFailure = failure;
                }
            } else if (failure == null && principal && action && deniedBy == null) {
                deniedBy = where;
            }
        }
        if (anyAllowForUs && !subPinned) {
            findings.add(Finding.warning(
                    "no_sub_condition",
                    "no Allow statement has a condition on " + provider
                            + ":sub, so every job of this org (every project, branch and fork pull request) can assume the "
                            + "role"));
        }
        if (anyAllowForUs && !audPinned) {
            findings.add(Finding.warning(
                    "aud_not_pinned",
                    "no Allow statement has a condition on " + provider
                            + ":aud; pin it to the audience your jobs ask for (IAM also requires it in the OIDC provider's "
                            + "client ID list)"));
        }
        if (deniedBy != null) {
            return new Evaluation(
                    false,
                    deniedBy + " explicitly denies these claims (an explicit Deny always wins)",
                    outcomes,
                    findings);
        }
        if (allowedBy != null) {
            return new Evaluation(true, null, outcomes, findings);
        }
        return new Evaluation(
                false,
                firstAllowFailure != null ? firstAllowFailure : "no statement allows " + ACTION,
                outcomes,
                findings);
    }

    private static String providerArnHint(String provider) {
        return "arn:aws:iam::<account>:oidc-provider/" + provider;
    }

    private static boolean principalMatches(JsonNode principal, String provider, List<Finding> findings, String where) {
        if (principal == null || !principal.isObject() || principal.get("Federated") == null) {
            return false;
        }
        for (String arn : values(principal.get("Federated"), where)) {
            Matcher matcher = PROVIDER_ARN.matcher(arn);
            if (!matcher.matches()) {
                continue;
            }
            String named = matcher.group(1);
            if (named.equals(provider)) {
                return true;
            }
            if (named.equalsIgnoreCase(provider) || named.equals(provider + "/")) {
                findings.add(Finding.error(
                        "never_matches",
                        where + ".Principal.Federated names oidc-provider/"
                                + named + ", which differs from this org's issuer " + provider
                                + " in case or a trailing "
                                + "slash; IAM compares the provider URL exactly"));
            }
        }
        return false;
    }

    private static boolean actionMatches(JsonNode action) {
        if (action == null) {
            return false;
        }
        for (String value : values(action, "Action")) {
            // actions are case-insensitive and may use wildcards ("sts:*")
            if (Glob.iamMatches(value.toLowerCase(Locale.ROOT), ACTION.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static ConditionOutcome condition(
            String source,
            String operator,
            String key,
            List<String> expected,
            Map<String, Object> claims,
            IssuerIdentity issuer,
            List<Finding> findings) {
        String check = key + " " + Claims.quoted(expected);
        Operator op = Operator.parse(operator);
        if (op == null) {
            findings.add(Finding.warning(
                    "unsupported",
                    source + ": operator " + operator + " is not simulated (only "
                            + "the String... operators and Null apply to OIDC claims); it counts as false"));
            return new ConditionOutcome(source, check, false, "operator " + operator + " is not simulated");
        }
        String provider = issuer.providerPath();
        String claim = claimOf(key, provider);
        List<String> actual = null;
        if (claim == null) {
            findings.add(Finding.error(
                    "never_matches",
                    source + ": " + key + " is not a condition key of this org's " + "provider (" + provider
                            + ":aud or " + provider + ":sub); for these tokens it is always missing"));
        } else if (!claim.equals("sub") && !claim.equals("aud")) {
            findings.add(Finding.error(
                    "never_matches",
                    source + ": IAM exposes only " + provider + ":aud and "
                            + provider + ":sub of a custom OIDC provider; a condition on '" + claim
                            + "' never sees the claim, "
                            + "so it never matches (negated and IfExists operators always pass)"));
        } else {
            actual = Claims.values(claims, claim);
            if (claim.equals("sub") && issuer.defaultSubjects() && !op.negated && op.base.startsWith("String")) {
                lintSubject(source, op, expected, issuer, findings);
            }
        }
        boolean passed = op.evaluate(actual, expected);
        return new ConditionOutcome(source, check, passed, explain(op, claim, actual, passed));
    }

    /** Flags a sub value or pattern that no default-shaped subject of this org can equal. */
    private static void lintSubject(
            String source, Operator op, List<String> expected, IssuerIdentity issuer, List<Finding> findings) {
        String prefix = issuer.subjectPrefix();
        for (String value : expected) {
            String literal = op.base.equals("StringLike") ? Glob.literalPrefix(value, true) : value;
            boolean ignoreCase = op.base.endsWith("IgnoreCase");
            String a = ignoreCase ? literal.toLowerCase(Locale.ROOT) : literal;
            String b = ignoreCase ? prefix.toLowerCase(Locale.ROOT) : prefix;
            boolean possible = a.length() <= b.length() ? b.startsWith(a) : a.startsWith(b);
            if (!possible) {
                findings.add(Finding.error(
                        "never_matches",
                        source + ": '" + value + "' can never equal a subject of "
                                + "this org's tokens, which all start with '" + prefix + "'"));
            } else if (!op.base.equals("StringLike") && Glob.hasWildcard(value, true)) {
                findings.add(Finding.warning(
                        "never_matches",
                        source + ": '" + value + "' contains a wildcard, but " + op.base
                                + " compares literally; use StringLike"));
            }
        }
    }

    private static String explain(Operator op, String claim, List<String> actual, boolean passed) {
        if (op.base.equals("Null")) {
            return "the key is " + (actual == null ? "absent" : "present") + (passed ? ", as required" : "");
        }
        if (actual == null) {
            return "the key is absent from the request"
                    + (passed ? "; " + (op.negated ? "a negated operator" : "IfExists") + " then passes" : "");
        }
        return "the token's " + claim + " is " + Claims.quoted(actual) + (passed ? ": matches" : ": does not match");
    }

    /** The claim an IAM condition key reads, when it is a key of {@code provider}; else null. */
    private static String claimOf(String key, String provider) {
        int colon = key.lastIndexOf(':');
        if (colon < 0 || !key.substring(0, colon).equalsIgnoreCase(provider)) {
            return null;
        }
        // condition key names are case-insensitive
        String claim = key.substring(colon + 1);
        return claim.equalsIgnoreCase("sub") ? "sub" : claim.equalsIgnoreCase("aud") ? "aud" : claim;
    }

    private static boolean negated(String operator) {
        Operator op = Operator.parse(operator);
        return op == null || op.negated;
    }

    private static List<String> values(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(scalar(v, where)));
        } else {
            out.add(scalar(node, where));
        }
        return out;
    }

    private static String scalar(JsonNode node, String where) {
        if (!node.isValueNode() || node.isNull()) {
            throw new PolicyFormatException(where + ": expected a string or an array of strings");
        }
        return node.asText();
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.asText();
    }

    /** A condition operator split into its set qualifier, base operator and IfExists. */
    private record Operator(String qualifier, String base, boolean ifExists, boolean negated) {

        static Operator parse(String name) {
            String qualifier = null;
            String rest = name;
            for (String q : List.of("ForAnyValue:", "ForAllValues:")) {
                if (rest.regionMatches(true, 0, q, 0, q.length())) {
                    qualifier = q.substring(0, q.length() - 1);
                    rest = rest.substring(q.length());
                }
            }
            boolean ifExists = rest.endsWith("IfExists") && !rest.equals("Null");
            String base = ifExists ? rest.substring(0, rest.length() - "IfExists".length()) : rest;
            if (!BASE_OPERATORS.contains(base) || (base.equals("Null") && (ifExists || qualifier != null))) {
                return null;
            }
            return new Operator(qualifier, base, ifExists, base.contains("Not"));
        }

        boolean evaluate(List<String> actual, List<String> expected) {
            if (base.equals("Null")) {
                boolean wantAbsent = expected.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
                return wantAbsent == (actual == null);
            }
            boolean missing = actual == null || actual.isEmpty();
            if ("ForAllValues".equals(qualifier)) {
                // an empty or absent set satisfies ForAllValues (IAM User Guide, multivalued context keys)
                return missing || actual.stream().allMatch(v -> single(v, expected));
            }
            if ("ForAnyValue".equals(qualifier)) {
                return !missing && actual.stream().anyMatch(v -> single(v, expected));
            }
            if (missing) {
                return negated || ifExists;
            }
            return actual.stream().anyMatch(v -> single(v, expected));
        }

        /** One request value against the policy's values: positive operators match any, negated ones none. */
        private boolean single(String value, List<String> expected) {
            boolean any = expected.stream().anyMatch(e -> switch (base) {
                case "StringEquals", "StringNotEquals" -> e.equals(value);
                case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> e.equalsIgnoreCase(value);
                default -> Glob.iamMatches(e, value);
            });
            return negated != any;
        }
    }
}
