package dev.keyless.scheduler.security;

import dev.keyless.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Org scoping of admin callers, on top of {@code @RolesAllowed}: a platform admin reaches every org, an org
 * admin only the org named by its {@code org_id} claim.
 */
@RequestScoped
public class AdminAccess {

    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String ORG_ADMIN = "org-admin";
    static final String ORG_ID_CLAIM = "org_id";

    private final JsonWebToken jwt;

    public AdminAccess(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    /** The caller's rights, read now, for checks that run later in a reactive pipeline. */
    public Caller caller() {
        Object orgClaim = jwt.getClaim(ORG_ID_CLAIM);
        return new Caller(jwt.getGroups().contains(PLATFORM_ADMIN),
                jwt.getGroups().contains(ORG_ADMIN) && orgClaim != null ? orgClaim.toString().replace("\"", "") : null);
    }

    /** @throws ProblemException 403 unless the caller administers {@code orgId} */
    public void requireOrg(UUID orgId) {
        caller().requireOrg(orgId);
    }

    public record Caller(boolean platformAdmin, String adminOfOrg) {

        /** @throws ProblemException 403 unless the caller administers {@code orgId} */
        public void requireOrg(UUID orgId) {
            if (!platformAdmin && !orgId.toString().equals(adminOfOrg)) {
                throw ProblemException.forbidden("this admin token does not administer org " + orgId);
            }
        }
    }
}
