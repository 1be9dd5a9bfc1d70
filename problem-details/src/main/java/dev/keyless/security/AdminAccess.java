package dev.keyless.security;

import dev.keyless.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Org scoping of admin tokens (contracts.md), on top of {@code @RolesAllowed}: a platform admin reaches every org,
 * an org admin only the org named by its {@code org_id} claim.
 */
@RequestScoped
public class AdminAccess {

    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String ORG_ADMIN = "org-admin";
    static final String ORG_ID_CLAIM = "org_id";
    static final String FORBIDDEN = "your token does not administer this organization";

    private final JsonWebToken jwt;

    public AdminAccess(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    /** The caller's rights, read now, for checks that run later in a reactive pipeline. */
    public Caller caller() {
        return new Caller(
                jwt.getGroups().contains(PLATFORM_ADMIN),
                jwt.getGroups().contains(ORG_ADMIN) ? orgClaim(jwt.getClaim(ORG_ID_CLAIM)) : null);
    }

    /** @throws ProblemException 403 unless the caller administers {@code orgId} */
    public void requireOrg(UUID orgId) {
        caller().requireOrg(orgId);
    }

    /** Who acts, for audit trails: the token's subject. */
    public String actor() {
        String subject = jwt.getSubject();
        return subject == null ? "unknown-admin" : "admin:" + subject;
    }

    /** Only a string claim names an org: a number or an array never matches one. */
    private static String orgClaim(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim instanceof String text ? text : null;
    }

    public record Caller(boolean platformAdmin, String adminOfOrg) {

        /** @throws ProblemException 403 unless the caller administers {@code orgId} */
        public void requireOrg(UUID orgId) {
            if (!platformAdmin && !orgId.toString().equals(adminOfOrg)) {
                throw ProblemException.forbidden(FORBIDDEN);
            }
        }
    }
}
