package dev.keyless.context.web;

import dev.keyless.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Org scoping of admin tokens: a platform admin reaches every org, an org admin only the org in its
 * {@code org_id} claim. Resources are also annotated with {@code @RolesAllowed}; this adds the org check.
 */
@RequestScoped
public class AdminAccess {

    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String ORG_ADMIN = "org-admin";

    private final JsonWebToken jwt;

    public AdminAccess(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    /** @throws ProblemException 403 unless the caller administers {@code orgId} */
    public void requireOrg(UUID orgId) {
        if (jwt.getGroups().contains(PLATFORM_ADMIN)) {
            return;
        }
        Object claim = jwt.getClaim("org_id");
        if (jwt.getGroups().contains(ORG_ADMIN) && claim != null
                && orgId.toString().equals(claim.toString().replace("\"", ""))) {
            return;
        }
        throw ProblemException.forbidden("your token does not administer this organization");
    }

    /** Who acts, for the audit trail: the token's subject. */
    public String actor() {
        String subject = jwt.getSubject();
        return subject == null ? "unknown-admin" : "admin:" + subject;
    }
}
