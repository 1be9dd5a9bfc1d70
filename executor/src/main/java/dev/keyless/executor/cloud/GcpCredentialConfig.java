package dev.keyless.executor.cloud;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google {@code external_account} credential configuration (what {@code gcloud iam workload-identity-pools
 * create-cred-config} writes): the Google auth libraries and gcloud read the job's token from
 * {@code credential_source.file} whenever they need a new access token, and exchange it at {@code token_url}.
 */
public final class GcpCredentialConfig {

    public static final String TOKEN_URL = "https://sts.googleapis.com/v1/token";
    public static final Pattern PROVIDER = Pattern.compile(
            "//iam\\.googleapis\\.com/projects/([0-9]+)/locations/global/workloadIdentityPools/([a-z0-9-]{4,32})"
                    + "/providers/([a-z0-9-]{4,32})");
    public static final Pattern SERVICE_ACCOUNT = Pattern.compile("[a-z0-9-]+@[a-z0-9.-]+\\.iam\\.gserviceaccount\\.com"
            + "|[a-z0-9-]+@developer\\.gserviceaccount\\.com|[a-z0-9-]+@appspot\\.gserviceaccount\\.com");
    private static final String IMPERSONATION =
            "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/%s:generateAccessToken";

    private GcpCredentialConfig() {}

    /**
     * The audience a provider accepts when it names no allowed audiences of its own: its full resource name behind
     * {@code https:}.
     */
    public static String defaultTokenAudience(String provider) {
        return "https:" + provider;
    }

    /** A short, stable name for the provider's token file: {@code gcp-<pool>-<provider>}. */
    public static String tokenName(String provider) {
        Matcher matcher = PROVIDER.matcher(provider);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a workload identity provider: " + provider);
        }
        return "gcp-" + matcher.group(2) + "-" + matcher.group(3);
    }

    /** @param serviceAccount the account to impersonate, or null to use the federated identity directly */
    public static Map<String, Object> build(String provider, Path tokenFile, String serviceAccount, String tokenUrl) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "external_account");
        config.put("audience", provider);
        config.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
        config.put("token_url", tokenUrl);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file", tokenFile.toString());
        source.put("format", Map.of("type", "text"));
        config.put("credential_source", source);
        if (serviceAccount != null) {
            config.put("service_account_impersonation_url", String.format(IMPERSONATION, serviceAccount));
        }
        return config;
    }
}
