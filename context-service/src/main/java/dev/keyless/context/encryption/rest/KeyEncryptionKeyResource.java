package dev.keyless.context.encryption.rest;

import dev.keyless.context.encryption.service.ContextCipher;
import dev.keyless.context.encryption.service.KeyRotationService;
import dev.keyless.problem.ProblemResponses;
import dev.keyless.security.AdminAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Platform operation after a KEK rotation: re-wrap every data key under the current KEK. */
@Path("/api/v1/admin/key-encryption-key/rewrap")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminAccess.PLATFORM_ADMIN)
public class KeyEncryptionKeyResource {

    private final KeyRotationService rotation;
    private final ContextCipher cipher;

    public KeyEncryptionKeyResource(KeyRotationService rotation, ContextCipher cipher) {
        this.rotation = rotation;
        this.cipher = cipher;
    }

    public record RewrapResult(String kekId, int rewrapped) {}

    @Operation(
            summary = "Re-encrypt every context's data key under the current key-encryption key (platform admins only)")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @POST
    public Uni<RewrapResult> rewrap() {
        return rotation.rewrapAll().map(count -> new RewrapResult(cipher.currentKekId(), count));
    }
}
