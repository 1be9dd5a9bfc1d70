package dev.keyless.trust.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A job token's claims as Keyless mints them (DESIGN.md), for an org, project and user fixed per test run. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UUID ORG = UUID.fromString("3f1e2d4c-5b6a-4789-8abc-def012345678");
    static final UUID PROJECT = UUID.fromString("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
    static final UUID USER = UUID.fromString("0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d");
    static final String CONTEXT = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    static final String NS = "oidc.keyless.dev";
    static final String ISSUER = "https://oidc.keyless.example.com/org/" + ORG;
    static final String PROVIDER = "oidc.keyless.example.com/org/" + ORG;
    static final IssuerIdentity IDENTITY = new IssuerIdentity(ISSUER, ORG, NS, true);
    static final String V1_SUB = "org/" + ORG + "/project/" + PROJECT + "/user/" + USER;

    private Fixtures() {}

    static String v2Sub(String origin, String ref) {
        return V1_SUB + "/vcs-origin/" + origin + "/vcs-ref/" + ref;
    }

    /** A V2 token's claims for a job of github.com/acme/app on {@code ref}. */
    static Map<String, Object> v2(String ref) {
        return v2("github.com/acme/app", ref, ORG.toString());
    }

    static Map<String, Object> v2(String origin, String ref) {
        return v2(origin, ref, ORG.toString());
    }

    static Map<String, Object> v2(String origin, String ref, String aud) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", v2Sub(origin, ref));
        claims.put("aud", aud);
        claims.put("iat", 1_700_000_000L);
        claims.put("nbf", 1_700_000_000L);
        claims.put("exp", 1_700_003_600L);
        claims.put("jti", "5b0c7c6e-2f1f-4a53-9d6c-1c0b8e1d2f3a");
        claims.put(NS + "/project-id", PROJECT.toString());
        claims.put(NS + "/context-ids", List.of(CONTEXT));
        claims.put(NS + "/vcs-origin", origin);
        claims.put(NS + "/vcs-ref", ref);
        claims.put(NS + "/ssh-rerun", false);
        claims.put(NS + "/pipeline-id", "11111111-1111-4111-8111-111111111111");
        claims.put(NS + "/workflow-id", "22222222-2222-4222-8222-222222222222");
        claims.put(NS + "/job-id", "33333333-3333-4333-8333-333333333333");
        return claims;
    }

    /** Parses JSON written with single quotes (tables stay readable). */
    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
