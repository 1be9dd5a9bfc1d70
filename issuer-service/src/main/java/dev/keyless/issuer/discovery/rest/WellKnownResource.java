package dev.keyless.issuer.discovery.rest;

import dev.keyless.issuer.IssuerUrls;
import dev.keyless.issuer.config.IssuerConfig;
import dev.keyless.issuer.discovery.service.DiscoveryDocuments;
import dev.keyless.issuer.discovery.service.JwksDocument;
import dev.keyless.issuer.discovery.service.PublishedKeySet;
import dev.keyless.problem.ProblemException;
import dev.keyless.problem.ProblemResponses;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Public, unauthenticated: each org's discovery document and the JWKS. Cacheable (max-age, strong ETag, 304)
 * and readable from browsers (CORS for GET). Served on the event loop from memory.
 */
@Path("/org/{orgId}/.well-known")
public class WellKnownResource {

    private final JwksDocument jwks;
    private final DiscoveryDocuments documents;
    private final String cacheControl;

    public WellKnownResource(JwksDocument jwks, DiscoveryDocuments documents, IssuerConfig config) {
        this.jwks = jwks;
        this.documents = documents;
        this.cacheControl = "public, max-age=" + config.keys().jwksMaxAge().toSeconds();
    }

    @Operation(summary = "An organization's OpenID discovery document (ETag, If-None-Match)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "304", description = "Not modified: the If-None-Match ETag is current")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/openid-configuration")
    @NonBlocking
    public Response discovery(
            @PathParam("orgId") String orgId, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        requireOrgId(orgId);
        DiscoveryDocuments.Document document = documents.forOrg(orgId);
        return cacheable(document.json(), document.etag(), ifNoneMatch);
    }

    @Operation(summary = "An organization's public signing keys as a JWKS (ETag, If-None-Match)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "304", description = "Not modified: the If-None-Match ETag is current")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    @Path("/jwks-pub.json")
    @NonBlocking
    public Response jwks(@PathParam("orgId") String orgId, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        requireOrgId(orgId);
        PublishedKeySet set = jwks.current();
        return cacheable(set.json(), set.etag(), ifNoneMatch);
    }

    @Operation(summary = "CORS preflight of the discovery documents")
    @APIResponse(responseCode = "204", description = "No content")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @Parameter(
            name = "document",
            in = ParameterIn.PATH,
            required = true,
            schema =
                    @Schema(
                            type = SchemaType.STRING,
                            enumeration = {"openid-configuration", "jwks-pub.json"}))
    @OPTIONS
    @Path("/{document: openid-configuration|jwks-pub.json}")
    @NonBlocking
    public Response preflight(@PathParam("orgId") String orgId) {
        requireOrgId(orgId);
        return Response.noContent()
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, OPTIONS")
                .header("Access-Control-Allow-Headers", "If-None-Match")
                .header("Access-Control-Max-Age", "86400")
                .build();
    }

    private static void requireOrgId(String orgId) {
        if (!IssuerUrls.wellFormedOrgId(orgId)) {
            throw ProblemException.notFound("no issuer for this organization id");
        }
    }

    private Response cacheable(byte[] json, String etag, String ifNoneMatch) {
        Response.ResponseBuilder builder = matches(ifNoneMatch, etag)
                ? Response.notModified()
                : Response.ok(json, MediaType.APPLICATION_JSON_TYPE);
        return builder.header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Expose-Headers", "ETag")
                .build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
