package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cloud credentials inside a job run by the real executor: the AWS CLI and boto3 assume a role from the profile
 * {@code executor aws configure} wrote, against a local STS (moto's server, behind a recorder that checks every web
 * identity token with the issuer's JWKS); the token file is re-minted while the job runs and the next assume sends
 * the new token; {@code executor gcp configure} writes a credential configuration; {@code executor vault login}
 * logs in to a stand-in of Vault's JWT auth method that verifies the token with the issuer's JWKS. No token value
 * appears in the job's output, and the files are gone when the job ends.
 */
@ExtendWith(PlatformExtension.class)
class CloudCredentialsSystemTest {

    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/keyless-deploy";
    private static final String PROVIDER =
            "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/keyless-ci/providers/keyless";
    private static final String LOG = "executor-cloud";

    private static KeylessPlatform platform;
    private static Keyless keyless;
    private static Keyless.Org org;
    private static Process executor;
    private static Process moto;
    private static HttpServer sts;
    private static HttpServer vault;
    private static final List<Map<String, String>> assumed = new CopyOnWriteArrayList<>();
    private static final List<String> vaultTokens = new CopyOnWriteArrayList<>();
    private static final List<String> refusals = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start(KeylessPlatform started) throws IOException {
        platform = started;
        keyless = new Keyless(platform);
        org = keyless.createOrg();
        keyless.createContext(org, "cloud", Map.of("DEPLOY_ENV", "production"));
        int motoPort = freePort();
        moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(motoPort))
                .redirectErrorStream(true)
                .redirectOutput(platform.log("moto").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + motoPort + "/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        < 500);
        sts = recordingSts(motoPort);
        vault = vaultStandIn();
        // re-mint a token file after a fifth of its life: a 60 s token is replaced within the job
        executor = platform.startExecutor(LOG, "--token-refresh-share", "0.2");
    }

    @AfterAll
    static void stop() {
        KeylessPlatform.stop(executor);
        if (sts != null) {
            sts.stop(0);
        }
        if (vault != null) {
            vault.stop(0);
        }
        if (moto != null) {
            KeylessPlatform.stop(moto);
        }
    }

    @Test
    void aJobAssumesAnAwsRoleConfiguresGcpAndLogsInToVaultWithTokenFilesKeptFreshAndNeverShown() throws IOException {
        String stsUrl = "http://127.0.0.1:" + sts.getAddress().getPort();
        String vaultUrl = "http://127.0.0.1:" + vault.getAddress().getPort();
        String boto3 = "python3 -c 'import boto3; print(\"boto3 assumed \" + boto3.Session().client(\"sts\")"
                + ".get_caller_identity()[\"Arn\"])'";
        String command = String.join(
                "\n",
                "set -euo pipefail",
                "export AWS_ENDPOINT_URL_STS=" + stsUrl,
                "eval \"$(executor aws configure --role-arn " + ROLE_ARN + " --region us-east-1 --token-ttl 60)\"",
                "echo \"AWS_CONFIG_FILE=$AWS_CONFIG_FILE\"",
                "cat \"$AWS_CONFIG_FILE\"",
                "token_file=$(sed -n 's/^web_identity_token_file = //p' \"$AWS_CONFIG_FILE\")",
                "echo \"token-file-mode=$(stat -c %a \"$token_file\") token=$(cat \"$token_file\")\"",
                "echo \"cli assumed $(aws sts get-caller-identity --output text --query Arn)\"",
                boto3,
                "first=$(sha256sum < \"$token_file\")",
                "for i in $(seq 1 90); do [ \"$(sha256sum < \"$token_file\")\" != \"$first\" ] && break; sleep 1; done",
                "echo \"token file replaced after about ${i} s, mode $(stat -c %a \"$token_file\")\"",
                boto3,
                "eval \"$(executor gcp configure --provider " + PROVIDER + ")\"",
                "echo \"GOOGLE_APPLICATION_CREDENTIALS=$GOOGLE_APPLICATION_CREDENTIALS\"",
                "cat \"$GOOGLE_APPLICATION_CREDENTIALS\"",
                "eval \"$(executor vault login --role deploy --address " + vaultUrl + ")\"",
                "echo \"vault token: $VAULT_TOKEN\"",
                "echo \"job directory: $KEYLESS_JOB_DIR\"");
        JsonNode pipeline = keyless.trigger(org, List.of(Keyless.job("cloud", command, List.of("cloud"), List.of())));
        UUID job = Keyless.jobId(pipeline, "cloud");

        JsonNode done = keyless.awaitStatus(org, job, Duration.ofSeconds(180), "success", "failed", "unauthorized");
        String output = output();
        assertEquals("success", done.get("status").asText().toLowerCase(), () -> done + "\n" + output);

        // the profile AWS SDKs read: role, token file and a session name naming the job
        assertTrue(output.contains("[default]\nrole_arn = " + ROLE_ARN + "\nweb_identity_token_file = "), output);
        assertTrue(output.contains("role_session_name = keyless-cloud-" + job + "\n"), output);
        assertTrue(output.contains("token-file-mode=600 token=********"), output);
        String assumedRole = "arn:aws:sts::123456789012:assumed-role/keyless-deploy/keyless-cloud-" + job;
        assertTrue(output.contains("cli assumed " + assumedRole), output);
        assertTrue(
                output.matches("(?s).*boto3 assumed " + Pattern.quote(assumedRole) + ".*boto3 assumed "
                        + Pattern.quote(assumedRole) + ".*"),
                output);
        assertTrue(output.matches("(?s).*token file replaced after about \\d+ s, mode 600.*"), output);

        // every assume sent a valid token for sts.amazonaws.com; the last one sent the re-minted token
        assertEquals(List.of(), refusals);
        assertTrue(assumed.size() >= 3, () -> "assumes: " + assumed.size());
        Map<String, String> first = assumed.get(0);
        Map<String, String> last = assumed.get(assumed.size() - 1);
        assertEquals("keyless-cloud-" + job, first.get("RoleSessionName"));
        assertEquals(ROLE_ARN, first.get("RoleArn"));
        assertNotEquals(
                first.get("WebIdentityToken"), last.get("WebIdentityToken"), "the next assume used the new token");
        assertTrue(Long.parseLong(last.get("iat")) > Long.parseLong(first.get("iat")));
        assertTrue(platform.log(LOG).toFile().exists());
        assertTrue(output.contains("refreshed token file aws-default.jwt (audience sts.amazonaws.com"), output);

        // GCP: an external_account configuration over a token file of the job's directory
        JsonNode gcp = Http.JSON.readTree(output.substring(
                output.indexOf("{\n  \"type\" : \"external_account\""),
                output.indexOf("}\n}", output.indexOf("\"external_account\"")) + 3));
        assertEquals(PROVIDER, gcp.get("audience").asText());
        assertEquals(
                "urn:ietf:params:oauth:token-type:jwt",
                gcp.get("subject_token_type").asText());
        assertEquals("https://sts.googleapis.com/v1/token", gcp.get("token_url").asText());
        assertEquals("text", gcp.at("/credential_source/format/type").asText());
        Path gcpTokenFile = Path.of(gcp.at("/credential_source/file").asText());
        String jobDirectory = line(output, "job directory: ");
        assertTrue(gcpTokenFile.startsWith(jobDirectory), gcpTokenFile + " is in " + jobDirectory);

        // Vault: the stand-in verified the job's token; the Vault token is masked
        assertEquals(1, vaultTokens.size());
        assertTrue(output.contains("vault token: ********"), output);
        assertFalse(output.contains(vaultTokens.get(0)), "the Vault token never appears in the output");
        assertFalse(output.contains("eyJ"), "no token appears in the output");

        // nothing of the job's credentials outlives it
        Path awsConfig = Path.of(line(output, "AWS_CONFIG_FILE="));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of(jobDirectory)));
        assertFalse(Files.exists(awsConfig));
        assertFalse(Files.exists(gcpTokenFile));
    }

    /** An STS endpoint that checks each web identity token with the issuer's JWKS, then lets moto answer. */
    private static HttpServer recordingSts(int motoPort) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
                if ("AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
                    record(form);
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + motoPort + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!Set.RESTRICTED.contains(name.toLowerCase())) {
                        values.forEach(value -> forward.header(name, value));
                    }
                });
                HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders()
                        .add("Content-Type", type));
                exchange.sendResponseHeaders(
                        answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                refusals.add(e.toString());
                throw e;
            }
        });
        server.start();
        return server;
    }

    private static void record(Map<String, String> form) {
        try {
            RelyingParty.Verified verified = new RelyingParty(platform.issuerUrl() + "/org/" + org.id())
                    .verify(form.get("WebIdentityToken"), "sts.amazonaws.com");
            Map<String, String> seen = new HashMap<>(form);
            seen.put("iat", String.valueOf(verified.rawClaims().get("iat").asLong()));
            assumed.add(seen);
        } catch (AssertionError e) {
            refusals.add(e.getMessage());
        }
    }

    /** Vault's JWT login: the token must verify with the issuer's JWKS, for aud vault and this org's project. */
    private static HttpServer vaultStandIn() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/auth/jwt/login", exchange -> {
            try (exchange) {
                JsonNode login = Http.JSON.readTree(exchange.getRequestBody().readAllBytes());
                String answer;
                int status;
                try {
                    RelyingParty.Verified verified = new RelyingParty(platform.issuerUrl() + "/org/" + org.id())
                            .verify(login.path("jwt").asText(), "vault");
                    assertEquals("deploy", login.path("role").asText());
                    assertEquals(
                            org.projectId().toString(),
                            verified.rawClaims()
                                    .path("oidc.keyless.dev/project-id")
                                    .asText());
                    String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
                    vaultTokens.add(token);
                    status = 200;
                    answer = Http.JSON.writeValueAsString(Map.of(
                            "auth",
                            Map.of(
                                    "client_token",
                                    token,
                                    "policies",
                                    List.of("default", "deploy"),
                                    "lease_duration",
                                    2764800,
                                    "renewable",
                                    true)));
                } catch (AssertionError e) {
                    refusals.add("vault: " + e.getMessage());
                    status = 400;
                    answer = "{\"errors\":[\"error validating token\"]}";
                }
                respond(exchange, status, answer);
            }
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String line(String output, String prefix) {
        Matcher matcher =
                Pattern.compile("(?m)^" + Pattern.quote(prefix) + "(.*)$").matcher(output);
        assertTrue(matcher.find(), () -> "no line " + prefix + " in\n" + output);
        return matcher.group(1);
    }

    private static String output() {
        try {
            return Files.readString(platform.log(LOG), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Headers java.net.http sets itself. */
    private static final class Set {
        static final java.util.Set<String> RESTRICTED =
                java.util.Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");
    }
}
