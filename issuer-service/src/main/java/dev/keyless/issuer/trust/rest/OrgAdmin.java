package dev.keyless.issuer.trust.rest;

import dev.keyless.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/** Org scoping of admin tokens (contracts.md): platform-admin reaches every org, org-admin its {@code org_id}. */
@RequestScoped
public class OrgAdmin {

    private final JsonWebToken caller;

    public OrgAdmin(JsonWebToken caller) {
        this.caller = caller;
    }

    /** @throws ProblemException 403 unless the caller administers {@code orgId} */
    public void require(UUID orgId) {
        if (caller.getGroups().contains("platform-admin")) {
            return;
        }
        Object claimed = caller.getClaim("org_id");
        String callerOrg = claimed == null ? null : claimed.toString().replace("\"", "");
        if (!caller.getGroups().contains("org-admin") || !orgId.toString().equals(callerOrg)) {
            throw ProblemException.forbidden("your token does not administer this organization");
        }
    }

    /** Who acts, for the template history. */
    public String actor() {
        return caller.getSubject() == null ? "unknown-admin" : "admin:" + caller.getSubject();
    }
}
