package dev.keyless.issuer.key.rest;

import dev.keyless.issuer.key.service.KeyRingService;
import dev.keyless.issuer.key.service.KeyView;
import dev.keyless.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

/** The key ring for platform admins: list, rotate now, emergency revoke. */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("platform-admin")
public class KeyAdminResource {

    private final KeyRingService ring;

    public KeyAdminResource(KeyRingService ring) {
        this.ring = ring;
    }

    @Operation(summary = "List the signing keys with their states (platform admins only)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @GET
    public Uni<List<KeyView>> list() {
        return ring.list();
    }

    /** Publishes a new key now; it starts signing after the publish-ahead time. */
    @Operation(summary = "Rotate the signing key: the standby becomes active (platform admins only)")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyView.class)))
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Path("/rotate")
    public Uni<Response> rotate() {
        return ring.rotateNow()
                .map(key -> Response.status(Response.Status.CREATED).entity(key).build());
    }

    /** Drops the key from the JWKS at once; tokens it signed are re-minted on their next pull. */
    @Operation(summary = "Revoke a signing key, removing it from the JWKS (platform admins only)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Path("/{kid}/revoke")
    public Uni<KeyView> revoke(@PathParam("kid") String kid) {
        return ring.revoke(kid);
    }
}
