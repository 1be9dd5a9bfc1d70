package dev.keyless.issuer;

import dev.keyless.issuer.config.IssuerConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The issuer URL of each org, {@code {base-url}/org/{orgId}}: one place builds it, so discovery's {@code issuer}
 * and every token's {@code iss} are byte-identical.
 */
@ApplicationScoped
public class IssuerUrls {

    /** Canonical (lower-case) UUIDs only: the form tokens carry, so {@code iss} has one spelling per org. */
    private static final Pattern ORG_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private volatile String baseUrl;

    public IssuerUrls(IssuerConfig config) {
        this.baseUrl = config.baseUrl().map(IssuerUrls::trimSlash).orElse(null);
    }

    /**
     * Without a configured base URL (dev, test), the issuer is this process on localhost at the port it bound
     * (Quarkus publishes a random test port once the server listens).
     */
    private static String localBaseUrl() {
        String portProperty = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = ConfigProvider.getConfig()
                .getOptionalValue(portProperty, Integer.class)
                .orElse(0);
        if (port <= 0) {
            throw new IllegalStateException("the issuer base URL is not known before the HTTP server listens");
        }
        return "http://localhost:" + port;
    }

    public static boolean wellFormedOrgId(String orgId) {
        return orgId != null && ORG_ID.matcher(orgId).matches();
    }

    public String issuer(UUID orgId) {
        return issuer(orgId.toString());
    }

    public String issuer(String canonicalOrgId) {
        String base = baseUrl;
        if (base == null) {
            base = localBaseUrl();
            baseUrl = base;
        }
        return base + "/org/" + canonicalOrgId;
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
