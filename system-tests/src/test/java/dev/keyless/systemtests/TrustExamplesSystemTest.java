package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trust side as code ({@code deploy/examples}): every claim an example names and every {@code sub} pattern it
 * matches must fit a token Keyless actually mints (a V2 token of a real job here), and the examples are formatted
 * as {@code terraform fmt} wants.
 */
@ExtendWith(PlatformExtension.class)
class TrustExamplesSystemTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("keyless.repo.dir", ".."))
            .resolve("deploy/examples")
            .toAbsolutePath()
            .normalize();

    private static JsonNode claims;

    @BeforeAll
    static void mintARealToken(KeylessPlatform platform) {
        Keyless keyless = new Keyless(platform);
        Keyless.Org org = keyless.createOrg();
        keyless.createContext(org, "examples", Map.of("X", "y"));
        JsonNode pipeline =
                keyless.trigger(org, List.of(Keyless.job("examples", "true", List.of("examples"), List.of())));
        Keyless.Claim claim = keyless.claim(Keyless.jobId(pipeline, "examples"));
        Http.Response environment = keyless.environment(claim.jobId(), claim.credential());
        assertEquals(200, environment.status(), () -> "environment: " + environment);
        String token = environment.json().at("/variables/CIRCLE_OIDC_TOKEN_V2").asText();
        try {
            claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keyless.complete(claim.jobId(), claim.credential(), 0);
    }

    @Test
    void everyClaimAndSubShapeTheExamplesNameIsOneKeylessMints() throws IOException {
        List<Path> files = examples();
        assertEquals(3, files.size(), () -> "aws, gcp and vault examples: " + files);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals(List.of(), problems(text, claims), file.toString());
        }
    }

    @Test
    void theCheckCatchesAClaimOrSubKeylessDoesNotMint() {
        String wrong =
                """
                attribute_condition = "assertion['oidc.keyless.dev/repository'] == 'acme/app'"
                bound_claims = {
                  "oidc.keyless.dev/branch" = "main"
                }
                user_claim = "preferred_username"
                variable = "${local.issuer_host}:repository"
                values   = ["repo:acme/app:ref:refs/heads/main"]
                values   = ["org/${var.org_id}/project/${var.project_id}/vcs-ref/${var.vcs_ref}"]
                """;
        List<String> problems = problems(wrong, claims);
        assertEquals(6, problems.size(), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("oidc.keyless.dev/repository")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("repo:acme/app")), problems::toString);
    }

    @Test
    void theExamplesAreFormattedAsTerraformWants() throws Exception {
        Assumptions.assumeTrue(onPath("terraform"), "the terraform CLI is not installed");
        Process fmt = new ProcessBuilder("terraform", "fmt", "-check", "-recursive", "-diff", EXAMPLES.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(fmt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(fmt.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, fmt.exitValue(), output);
    }

    /** Claims named by GCP CEL, Vault bound_claims/claim_mappings/user_claim and AWS condition keys; sub patterns. */
    static List<String> problems(String text, JsonNode claims) {
        List<String> problems = new ArrayList<>();
        List<String> named = new ArrayList<>();
        collect(Pattern.compile("assertion\\['([^']+)'\\]"), text, named);
        collect(Pattern.compile("assertion\\.([A-Za-z_]+)"), text, named);
        collect(Pattern.compile("(?m)^\\s*(?:user_claim|groups_claim)\\s*=\\s*\"([^\"]+)\""), text, named);
        collect(Pattern.compile("\\}:([A-Za-z_.-]+)\""), text, named);
        Matcher blocks = Pattern.compile("(?s)(?:bound_claims|claim_mappings)\\s*=\\s*\\{(.*?)\\}")
                .matcher(text);
        while (blocks.find()) {
            collect(Pattern.compile("(?m)^\\s*\"([^\"]+)\"\\s*="), blocks.group(1), named);
        }
        for (String claim : named) {
            if (!claims.has(claim)) {
                problems.add("names claim " + claim + ", which Keyless does not mint");
            }
        }
        Matcher subs = Pattern.compile("\"((?:org/|repo:)[^\"]*)\"").matcher(text);
        while (subs.find()) {
            if (!subPattern(subs.group(1)).matcher(claims.get("sub").asText()).matches()) {
                problems.add("matches sub " + subs.group(1) + ", a shape Keyless does not mint");
            }
        }
        return problems;
    }

    /**
     * A Terraform string as a pattern over the sub: an interpolation stands for one path segment (an id), or for
     * several when it is the VCS origin or ref (github.com/acme/app, refs/heads/main); {@code *} (StringLike) for
     * anything.
     */
    private static Pattern subPattern(String value) {
        StringBuilder regex = new StringBuilder();
        Matcher parts = Pattern.compile("\\$\\{[^}]*\\}|\\*").matcher(value);
        int last = 0;
        while (parts.find()) {
            String part = parts.group();
            boolean manySegments = part.equals("*") || part.contains("vcs_origin") || part.contains("vcs_ref");
            regex.append(Pattern.quote(value.substring(last, parts.start()))).append(manySegments ? ".+" : "[^/]+");
            last = parts.end();
        }
        regex.append(Pattern.quote(value.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private static void collect(Pattern pattern, String text, List<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(file -> file.toString().endsWith(".tf"))
                    .sorted()
                    .toList();
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
