package dev.keyless.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.executor.cli.OidcSimulateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code executor oidc simulate} evaluates a policy file on the job's own token, offline. */
class OidcSimulateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "3f1e2d4c-5b6a-4789-8abc-def012345678";
    private static final String PREFIX = "org/" + ORG + "/project/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/user/"
            + "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d/vcs-origin/github.com/acme/app/vcs-ref/";

    @TempDir
    Path dir;

    private static String token(String ref) throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://oidc.keyless.example.com/org/" + ORG);
        claims.put("sub", PREFIX + ref);
        claims.put("aud", ORG);
        claims.put("oidc.keyless.dev/project-id", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
        claims.put("oidc.keyless.dev/vcs-ref", ref);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims)) + ".c2ln";
    }

    private Path mainOnlyPolicy() throws Exception {
        String provider = "oidc.keyless.example.com/org/" + ORG;
        Map<String, Object> policy = Map.of(
                "Statement",
                List.of(Map.of(
                        "Effect",
                        "Allow",
                        "Principal",
                        Map.of("Federated", "arn:aws:iam::123456789012:oidc-provider/" + provider),
                        "Action",
                        "sts:AssumeRoleWithWebIdentity",
                        "Condition",
                        Map.of(
                                "StringEquals",
                                Map.of(provider + ":aud", ORG, provider + ":sub", PREFIX + "refs/heads/main")))));
        Path file = dir.resolve("trust.json");
        Files.writeString(file, JSON.writeValueAsString(policy));
        return file;
    }

    @Test
    void aMainOnlyTrustPolicyAllowsTheMainJobsTokenAndDeniesAForkPullRequestsToken() throws Exception {
        Path policy = mainOnlyPolicy();
        List<String> args = List.of("oidc", "simulate", "--policy", policy.toString());
        assertEquals(0, Main.execute(args, Map.of("CIRCLE_OIDC_TOKEN_V2", token("refs/heads/main"))));
        assertEquals(
                OidcSimulateCommand.DENIED,
                Main.execute(args, Map.of("CIRCLE_OIDC_TOKEN_V2", token("refs/heads/pull/42"))));
    }

    @Test
    void withoutTheJobsTokenOrWithAnUnreadablePolicyItIsAUsageError() throws Exception {
        Path policy = mainOnlyPolicy();
        assertEquals(Main.USAGE, Main.execute(List.of("oidc", "simulate", "--policy", policy.toString()), Map.of()));
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{\"neither\":1}");
        assertEquals(
                Main.USAGE,
                Main.execute(
                        List.of("oidc", "simulate", "--policy", garbage.toString()),
                        Map.of("CIRCLE_OIDC_TOKEN_V2", token("refs/heads/main"))));
    }
}
