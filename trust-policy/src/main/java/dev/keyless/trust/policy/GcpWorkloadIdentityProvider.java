package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GCP workload identity pool OIDC provider as STS evaluates a token exchange (Google Cloud IAM docs, "Workload
 * identity federation", sections "Attribute mappings", "Attribute conditions" and "Prepare for token exchange"):
 * the issuer must be the provider's {@code oidc.issuerUri}; {@code aud} must be one of {@code oidc.allowedAudiences},
 * or, when none are set, the provider's full resource name as {@code https://iam.googleapis.com/...} or
 * {@code //iam.googleapis.com/...}; every {@code attributeMapping} is a CEL expression over {@code assertion} (the
 * token's claims), {@code google.subject} is required and at most 127 bytes; {@code attributeCondition} is a CEL
 * expression over {@code assertion}, {@code google} and {@code attribute} that must be true.
 */
final class GcpWorkloadIdentityProvider {

    static final int SUBJECT_LIMIT_BYTES = 127;
    private static final Pattern ASSERTION_REFERENCE =
            Pattern.compile("assertion\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*(?:'([^']*)'|\"([^\"]*)\")\\s*])");

    private final CelCompiler mappings;
    private final CelCompiler conditions;
    private final CelRuntime runtime;

    GcpWorkloadIdentityProvider() {
        MapType claims = MapType.create(SimpleType.STRING, SimpleType.DYN);
        // Google's extension: "abc/{x}/def".extract(...) returns what stands at {x}, or "" when the prefix is absent
        CelFunctionDecl extract = CelFunctionDecl.newFunctionDeclaration(
                "extract",
                CelOverloadDecl.newMemberOverload(
                        "string_extract_string", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING));
        this.mappings = CelCompilerFactory.standardCelCompilerBuilder()
                .addLibraries(CelExtensions.strings())
                .addFunctionDeclarations(extract)
                .addVar("assertion", claims)
                .build();
        this.conditions = CelCompilerFactory.standardCelCompilerBuilder()
                .addLibraries(CelExtensions.strings())
                .addFunctionDeclarations(extract)
                .addVar("assertion", claims)
                .addVar("google", claims)
                .addVar("attribute", claims)
                .setResultType(SimpleType.BOOL)
                .build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .addLibraries(CelExtensions.strings())
                .addFunctionBindings(CelFunctionBinding.from(
                        "string_extract_string", String.class, String.class, GcpWorkloadIdentityProvider::extract))
                .build();
    }

    static String extract(String value, String template) {
        int open = template.indexOf('{');
        int close = template.indexOf('}', open + 1);
        if (open < 0 || close < 0) {
            return "";
        }
        String prefix = template.substring(0, open);
        String suffix = template.substring(close + 1);
        int start = value.indexOf(prefix);
        if (start < 0) {
            return "";
        }
        start += prefix.length();
        if (suffix.isEmpty()) {
            return value.substring(start);
        }
        int end = value.indexOf(suffix, start);
        return end < 0 ? "" : value.substring(start, end);
    }

    Evaluation evaluate(JsonNode provider, Map<String, Object> claims, IssuerIdentity issuer) {
        List<ConditionOutcome> outcomes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        String reason = null;

        JsonNode oidc = provider.get("oidc");
        String issuerUri = oidc == null ? null : text(oidc.get("issuerUri"));
        if (issuerUri == null) {
            throw new PolicyFormatException("a GCP provider needs oidc.issuerUri");
        }
        String iss = String.valueOf(claims.get("iss"));
        boolean issuerOk = issuerUri.equals(iss);
        outcomes.add(new ConditionOutcome(
                "oidc.issuerUri",
                issuerUri,
                issuerOk,
                issuerOk ? "is the token's iss" : "differs from the token's iss '" + iss + "' (compared exactly)"));
        if (!issuerOk) {
            reason = "oidc.issuerUri '" + issuerUri + "' is not this org's issuer '" + iss + "'";
        }

        List<String> allowed = new ArrayList<>();
        if (oidc.get("allowedAudiences") != null) {
            oidc.get("allowedAudiences").forEach(a -> allowed.add(a.asText()));
        }
        String aud = String.valueOf(claims.get("aud"));
        String name = text(provider.get("name"));
        boolean audienceOk;
        String audienceCheck;
        if (allowed.isEmpty()) {
            if (name == null) {
                throw new PolicyFormatException("without oidc.allowedAudiences the provider's name "
                        + "(projects/.../providers/...) is needed: it is the default audience");
            }
            audienceCheck = "default audience https://iam.googleapis.com/" + name;
            audienceOk = aud.equals("https://iam.googleapis.com/" + name) || aud.equals("//iam.googleapis.com/" + name);
            findings.add(Finding.info(
                    "aud_not_pinned",
                    "no allowedAudiences: the provider accepts only its default "
                            + "audience https://iam.googleapis.com/" + name + ", so jobs must ask for that audience"));
        } else {
            audienceCheck = "allowedAudiences " + Claims.quoted(allowed);
            audienceOk = allowed.contains(aud);
        }
        outcomes.add(new ConditionOutcome(
                "oidc.allowedAudiences",
                audienceCheck,
                audienceOk,
                "the token's aud is '" + aud + "'" + (audienceOk ? ": accepted" : ": not accepted")));
        if (reason == null && !audienceOk) {
            reason = "the token's aud '" + aud + "' is not accepted (" + audienceCheck + ")";
        }

        JsonNode mappingNode = provider.get("attributeMapping");
        if (mappingNode == null || !mappingNode.isObject() || mappingNode.get("google.subject") == null) {
            throw new PolicyFormatException("attributeMapping must map google.subject");
        }
        Set<String> minted = issuer.mintedClaims();
        Map<String, Object> activation = Map.of("assertion", celValue(claims));
        Map<String, Object> google = new LinkedHashMap<>();
        Map<String, Object> attribute = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = mappingNode.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> mapping = fields.next();
            String target = mapping.getKey();
            String expression = mapping.getValue().asText();
            lintReferences("attributeMapping." + target, expression, minted, findings);
            Object value;
            try {
                value = run(mappings, "attributeMapping." + target, expression).eval(activation);
            } catch (CelEvaluationException e) {
                String why = "cannot be evaluated for this token: " + e.getMessage();
                outcomes.add(new ConditionOutcome("attributeMapping." + target, expression, false, why));
                reason = reason != null ? reason : "attributeMapping." + target + " " + why;
                continue;
            }
            if (target.equals("google.subject")) {
                String subject = String.valueOf(value);
                int bytes = subject.getBytes(StandardCharsets.UTF_8).length;
                boolean fits = bytes <= SUBJECT_LIMIT_BYTES;
                outcomes.add(new ConditionOutcome(
                        "attributeMapping.google.subject",
                        expression,
                        fits,
                        "maps to '" + subject + "' (" + bytes + " bytes, limit " + SUBJECT_LIMIT_BYTES + ")"));
                if (!fits && reason == null) {
                    reason = "google.subject is " + bytes + " bytes, over GCP's limit of " + SUBJECT_LIMIT_BYTES
                            + longest(expression, claims);
                }
            }
            if (target.startsWith("google.")) {
                google.put(target.substring("google.".length()), value);
            } else if (target.startsWith("attribute.")) {
                attribute.put(target.substring("attribute.".length()), value);
            } else {
                throw new PolicyFormatException("attributeMapping keys are google.* or attribute.*, not " + target);
            }
        }

        String condition = text(provider.get("attributeCondition"));
        if (condition == null || condition.isBlank()) {
            findings.add(
                    Finding.warning(
                            "no_sub_condition",
                            "no attributeCondition: every token of this org's "
                                    + "issuer with an accepted audience is exchanged (every project, branch and fork pull request)"));
        } else {
            lintReferences("attributeCondition", condition, minted, findings);
            Map<String, Object> all = new LinkedHashMap<>(activation);
            all.put("google", google);
            all.put("attribute", attribute);
            boolean holds;
            String why;
            try {
                holds = Boolean.TRUE.equals(
                        run(conditions, "attributeCondition", condition).eval(all));
                why = holds ? "is true for this token" : "is false for this token";
            } catch (CelEvaluationException e) {
                holds = false;
                why = "cannot be evaluated for this token (" + e.getMessage() + "); STS rejects the token";
            }
            outcomes.add(new ConditionOutcome("attributeCondition", condition, holds, why));
            if (!holds && reason == null) {
                reason = "attributeCondition `" + condition + "` " + why;
            }
        }
        return new Evaluation(reason == null, reason, outcomes, findings);
    }

    /** Names the claim whose value makes a mapped subject long, so the user knows what to shorten. */
    private static String longest(String expression, Map<String, Object> claims) {
        String worst = null;
        int worstBytes = 0;
        Matcher matcher = ASSERTION_REFERENCE.matcher(expression);
        while (matcher.find()) {
            String claim = referenced(matcher);
            Object value = claims.get(claim);
            int bytes = value == null ? 0 : String.valueOf(value).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > worstBytes) {
                worst = claim;
                worstBytes = bytes;
            }
        }
        return worst == null ? "" : "; the claim '" + worst + "' alone is " + worstBytes + " bytes";
    }

    private static String referenced(Matcher matcher) {
        return matcher.group(1) != null
                ? matcher.group(1)
                : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
    }

    private static void lintReferences(String where, String expression, Set<String> minted, List<Finding> findings) {
        Matcher matcher = ASSERTION_REFERENCE.matcher(expression);
        Set<String> unknown = new LinkedHashSet<>();
        while (matcher.find()) {
            String claim = referenced(matcher);
            if (!minted.contains(claim)) {
                unknown.add(claim);
            }
        }
        for (String claim : unknown) {
            findings.add(Finding.error(
                    "never_matches",
                    where + " reads assertion '" + claim + "', a claim Keyless "
                            + "never mints; the expression fails for every token"));
        }
    }

    private CelRuntime.Program run(CelCompiler compiler, String where, String expression) {
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            throw new PolicyFormatException(where + " is not a valid CEL expression: " + result.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return runtime.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new PolicyFormatException(where + " cannot be compiled: " + e.getMessage());
        }
    }

    /** JSON numbers become CEL ints (Long) or doubles; lists and maps recursively. */
    static Object celValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), celValue(v)));
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(celValue(v)));
            return out;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
