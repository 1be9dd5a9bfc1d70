package dev.keyless.issuer.discovery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.issuer.IssuerUrls;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders each org's OpenID discovery document with exactly the fields of DESIGN.md. */
@ApplicationScoped
public class DiscoveryDocuments {

    /** A document as served: the exact bytes and a strong ETag over them. */
    public record Document(byte[] json, String etag) {

        /** The document's exact bytes and their strong ETag (a map's keys are written as given). */
        static Document render(ObjectMapper json, Map<String, Object> document) {
            try {
                byte[] body = json.writeValueAsBytes(document);
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
                return new Document(
                        body, "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"");
            } catch (JsonProcessingException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot render a discovery document", e);
            }
        }
    }

    private final ObjectMapper json;
    private final IssuerUrls urls;
    private final List<String> claimsSupported;

    public DiscoveryDocuments(ObjectMapper json, IssuerUrls urls, IssuerConfig config) {
        this.json = json;
        this.urls = urls;
        String ns = config.claimNamespace();
        this.claimsSupported = List.of(
                "aud",
                "exp",
                "iat",
                "iss",
                "jti",
                "nbf",
                "sub",
                ns + "/project-id",
                ns + "/context-ids",
                ns + "/vcs-origin",
                ns + "/vcs-ref",
                ns + "/ssh-rerun",
                ns + "/pipeline-id",
                ns + "/workflow-id",
                ns + "/job-id");
    }

    /** The document for an org id already checked to be well formed. */
    public Document forOrg(String orgId) {
        String issuer = urls.issuer(orgId);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + "/.well-known/jwks-pub.json");
        document.put(
                "id_token_signing_alg_values_supported",
                Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList());
        document.put("response_types_supported", List.of("id_token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("scopes_supported", List.of("openid"));
        document.put("claims_supported", claimsSupported);
        return Document.render(json, document);
    }
}
