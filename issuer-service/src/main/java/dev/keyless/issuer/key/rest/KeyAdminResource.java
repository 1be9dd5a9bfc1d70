package dev.keyless.issuer.key.rest;

import dev.keyless.issuer.key.service.KeyRingService;
import dev.keyless.issuer.key.service.KeyView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

    @GET
    public Uni<List<KeyView>> list() {
        return ring.list();
    }

    /** Publishes a new key now; it starts signing after the publish-ahead time. */
    @POST
    @Path("/rotate")
    public Uni<Response> rotate() {
        return ring.rotateNow().map(key -> Response.status(Response.Status.CREATED).entity(key).build());
    }

    /** Drops the key from the JWKS at once; tokens it signed are re-minted on their next pull. */
    @POST
    @Path("/{kid}/revoke")
    public Uni<KeyView> revoke(@PathParam("kid") String kid) {
        return ring.revoke(kid);
    }
}
