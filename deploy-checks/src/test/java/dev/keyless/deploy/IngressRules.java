package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the rendered Ingresses expose, read with ingress-nginx semantics: Exact and Prefix paths as Kubernetes
 * defines them; ImplementationSpecific paths as case-insensitive regular expressions anchored at the start when
 * the Ingress enables regexes (use-regex or rewrite-target), as prefixes otherwise; rewrite-target rebuilds the
 * upstream path from the captured groups.
 */
final class IngressRules {

    static final String ISSUER_SERVICE = "issuer-service";
    static final int ISSUER_PORT = 8082;
    private static final String ANNOTATION = "nginx.ingress.kubernetes.io/";

    /** A request path the Ingress routes, and the path the backend receives. */
    record Route(Manifest ingress, String host, String service, String upstreamPath) {}

    private IngressRules() {}

    static String discovery(String org) {
        return "/org/" + org + "/.well-known/openid-configuration";
    }

    static String jwks(String org) {
        return "/org/" + org + "/.well-known/jwks-pub.json";
    }

    /** Paths that must never be reachable from outside: internal, admin, job, health and metrics endpoints. */
    static List<String> forbiddenPaths(String org) {
        return List.of(
                "/",
                "/org",
                "/org/",
                "/org/" + org,
                "/org/" + org + "/",
                "/org/" + org + "/.well-known",
                "/org/" + org + "/.well-known/",
                discovery(org) + "/",
                discovery(org) + "/extra",
                discovery(org) + ".bak",
                jwks(org) + "x",
                jwks(org) + ".bak",
                jwks(org) + "/../../../internal/v1/jobs/" + org + "/oidc-tokens",
                "/org/" + org + "/x/.well-known/jwks-pub.json",
                "/org/" + org + "/internal/v1/jobs/" + org + "/oidc-tokens",
                "/org/" + org + "/api/v1/admin/keys",
                "/org/../internal/v1/jobs/" + org + "/oidc-tokens",
                "/.well-known/openid-configuration",
                "/.well-known/jwks-pub.json",
                "/internal/v1/jobs/" + org + "/oidc-tokens",
                "/api/v1/jobs/" + org + "/oidc-tokens",
                "/api/v1/jobs/" + org + "/environment",
                "/api/v1/jobs/" + org + "/complete",
                "/api/v1/executor/claim",
                "/api/v1/admin/keys",
                "/api/v1/admin/keys/rotate",
                "/api/v1/admin/keys/k1/revoke",
                "/api/v1/orgs",
                "/api/v1/orgs/" + org + "/oidc-tokens",
                "/api/v1/orgs/" + org + "/contexts",
                "/q/health",
                "/q/health/ready",
                "/q/metrics",
                "/q/openapi",
                "/q/swagger-ui",
                "/q/dev-ui");
    }

    /** The route a request for {@code path} on any host would take, if an Ingress exposes it. */
    static Optional<Route> route(List<Manifest> manifests, String path) {
        for (Manifest ingress : WorkloadRules.ofKind(manifests, "Ingress")) {
            JsonNode annotations = ingress.body().path("metadata").path("annotations");
            String rewrite = annotations.path(ANNOTATION + "rewrite-target").asText("");
            boolean regex =
                    annotations.path(ANNOTATION + "use-regex").asText("false").equals("true") || !rewrite.isEmpty();
            for (JsonNode rule : ingress.spec().path("rules")) {
                for (JsonNode entry : rule.path("http").path("paths")) {
                    String pattern = entry.path("path").asText("/");
                    String type = entry.path("pathType").asText("ImplementationSpecific");
                    String service =
                            entry.path("backend").path("service").path("name").asText("");
                    String host = rule.path("host").asText("");
                    if (type.equals("Exact")) {
                        if (path.equals(pattern)) {
                            return Optional.of(new Route(ingress, host, service, path));
                        }
                    } else if (type.equals("Prefix") || !regex) {
                        if (prefixMatches(pattern, path)) {
                            return Optional.of(new Route(ingress, host, service, path));
                        }
                    } else {
                        Matcher matcher = Pattern.compile("^" + pattern, Pattern.CASE_INSENSITIVE)
                                .matcher(path);
                        if (matcher.find()) {
                            String upstream = rewrite.isEmpty() ? path : substitute(rewrite, matcher);
                            return Optional.of(new Route(ingress, host, service, upstream));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Structural rules: hosts, TLS, backends, no default backend, regexes that compile. */
    static List<String> structure(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest ingress : WorkloadRules.ofKind(manifests, "Ingress")) {
            if (ingress.spec().has("defaultBackend") || ingress.spec().has("backend")) {
                violations.add(ingress.id() + ": has a default backend, which would expose every path");
            }
            List<String> tlsHosts = new ArrayList<>();
            ingress.spec().path("tls").forEach(t -> t.path("hosts").forEach(h -> tlsHosts.add(h.asText())));
            for (JsonNode rule : ingress.spec().path("rules")) {
                String host = rule.path("host").asText("");
                if (host.isBlank() || host.contains("*")) {
                    violations.add(ingress.id() + ": a rule without an exact host ('" + host + "')");
                } else if (!tlsHosts.contains(host)) {
                    violations.add(ingress.id() + ": host " + host + " is not covered by spec.tls");
                }
                for (JsonNode entry : rule.path("http").path("paths")) {
                    JsonNode backend = entry.path("backend").path("service");
                    JsonNode port = backend.path("port");
                    if (!backend.path("name").asText().equals(ISSUER_SERVICE)
                            || !(port.path("name").asText().equals("http")
                                    || port.path("number").asInt() == ISSUER_PORT)) {
                        violations.add(
                                ingress.id() + ": path " + entry.path("path").asText() + " routes to " + backend
                                        + "; only issuer-service's discovery and JWKS are public");
                    }
                    try {
                        Pattern.compile(entry.path("path").asText("/"));
                    } catch (PatternSyntaxException e) {
                        violations.add(
                                ingress.id() + ": path " + entry.path("path").asText() + " is not a valid regex");
                    }
                }
            }
        }
        return violations;
    }

    /** Discovery and JWKS of any org reach issuer-service unchanged; nothing else is reachable at all. */
    static List<String> exposure(List<Manifest> manifests, List<String> orgs) {
        List<String> violations = new ArrayList<>();
        if (WorkloadRules.ofKind(manifests, "Ingress").isEmpty()) {
            violations.add(manifests.get(0).overlay() + ": no Ingress publishes discovery and JWKS");
            return violations;
        }
        for (String org : orgs) {
            for (String path : List.of(discovery(org), jwks(org))) {
                Optional<Route> route = route(manifests, path);
                if (route.isEmpty()) {
                    violations.add(manifests.get(0).overlay() + ": public path " + path + " is not exposed");
                } else if (!route.get().upstreamPath().equals(path)
                        || !route.get().service().equals(ISSUER_SERVICE)) {
                    violations.add(route.get().ingress().id() + ": " + path + " reaches "
                            + route.get().service() + " as " + route.get().upstreamPath());
                }
            }
            for (String path : forbiddenPaths(org)) {
                for (String candidate : new LinkedHashSet<>(List.of(path, normalize(path)))) {
                    route(manifests, candidate)
                            .ifPresent(r -> violations.add(
                                    r.ingress().id() + ": exposes " + candidate + " (as " + r.upstreamPath() + ")"));
                }
            }
        }
        return violations;
    }

    /** The issuer's base URL (the tokens' iss prefix) is https on a host the Ingress serves, with no path. */
    static List<String> issuerBaseUrl(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        WorkloadRules.ofKind(manifests, "Ingress").forEach(i -> i.spec()
                .path("rules")
                .forEach(r -> hosts.add(r.path("host").asText())));
        List<Manifest> configs = WorkloadRules.ofKind(manifests, "ConfigMap").stream()
                .filter(c -> c.body().path("data").has("KEYLESS_ISSUER_BASE_URL"))
                .toList();
        if (configs.isEmpty()) {
            violations.add(manifests.get(0).overlay() + ": no ConfigMap sets KEYLESS_ISSUER_BASE_URL");
        }
        for (Manifest config : configs) {
            URI base = URI.create(
                    config.body().path("data").path("KEYLESS_ISSUER_BASE_URL").asText());
            if (!"https".equals(base.getScheme())
                    || !hosts.contains(base.getHost())
                    || !(base.getRawPath() == null
                            || base.getRawPath().isEmpty()
                            || base.getRawPath().equals("/"))) {
                violations.add(
                        config.id() + ": KEYLESS_ISSUER_BASE_URL " + base
                                + " must be https://<a host the Ingress serves> with no path, since it prefixes every token's iss");
            }
        }
        return violations;
    }

    private static boolean prefixMatches(String prefix, String path) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return trimmed.isEmpty() || path.equals(trimmed) || path.startsWith(trimmed + "/");
    }

    private static String substitute(String target, Matcher matcher) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '$' && i + 1 < target.length() && Character.isDigit(target.charAt(i + 1))) {
                int group = target.charAt(++i) - '0';
                out.append(group <= matcher.groupCount() && matcher.group(group) != null ? matcher.group(group) : "");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** RFC 3986 dot-segment removal, as nginx applies it before matching locations. */
    static String normalize(String path) {
        return URI.create(path).normalize().getPath();
    }
}
