package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product description's two CircleCI configs, byte for byte, triggered as YAML and run by the real executor.
 * The project's repository is a local git repository the executor clones through {@code --checkout-url}.
 * AWS: {@code aws-cli/setup} writes the OIDC profile, and {@code aws ecr get-login-password --profile OIDC-PROFILE}
 * assumes the role from it against moto (behind a recorder that verifies each web identity token with the
 * issuer's JWKS; the {@code aws} context points {@code AWS_ENDPOINT_URL} there). GCP: without {@code gcloud} on
 * PATH the job fails at {@code gcp-cli/install} naming it; with a recording stand-in {@code gcloud}, the expanded
 * {@code create-cred-config} arguments are the parameters' defaults over the context's variables, and the token
 * file verifies against the issuer's JWKS.
 */
@ExtendWith(PlatformExtension.class)
class CircleCiExamplesSystemTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("keyless.repo.dir", ".."))
            .resolve("scheduler-service/src/test/resources/circleci");
    /** The GCP example's default paths, under CircleCI's home directory. */
    private static final Path CIRCLECI_HOME = Path.of("/home/circleci");

    private static KeylessPlatform platform;
    private static Keyless keyless;
    private static Path work;
    private static String revision;
    private static Process moto;
    private static HttpServer sts;
    private static boolean createdHome;
    private static final List<Process> executors = new ArrayList<>();
    private static final List<Map<String, String>> awsCalls = new CopyOnWriteArrayList<>();
    private static final List<String> refusals = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start(KeylessPlatform started) throws Exception {
        platform = started;
        keyless = new Keyless(platform);
        work = Files.createTempDirectory("keyless-circleci-");
        revision = repository(work.resolve("repos").resolve(Keyless.VCS_ORIGIN));
        int motoPort = freePort();
        moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(motoPort))
                .redirectErrorStream(true)
                .redirectOutput(platform.log("moto-circleci").toFile())
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
        sts = recordingAws(motoPort);
        if (!Files.exists(CIRCLECI_HOME)) {
            Files.createDirectories(CIRCLECI_HOME);
            createdHome = true;
        }
    }

    @AfterAll
    static void stop() throws IOException {
        executors.forEach(KeylessPlatform::stop);
        if (sts != null) {
            sts.stop(0);
        }
        if (moto != null) {
            KeylessPlatform.stop(moto);
        }
        if (createdHome) {
            deleteRecursively(CIRCLECI_HOME);
        }
        if (work != null) {
            deleteRecursively(work);
        }
    }

    @Test
    void theAwsExampleChecksOutAssumesTheRoleFromTheWrittenProfileAndLogsIntoEcr() throws IOException {
        Keyless.Org org = keyless.createOrg();
        String endpoint = "http://127.0.0.1:" + sts.getAddress().getPort();
        keyless.createContext(org, "aws", Map.of("AWS_ENDPOINT_URL", endpoint));
        String log = "executor-circleci-aws";
        executor(log, org, Map.of());

        JsonNode pipeline = trigger(org, Files.readString(EXAMPLES.resolve("aws-example.yml"), StandardCharsets.UTF_8));
        System.out.println("AWS example pipeline: " + pipeline.toPrettyString());
        JsonNode job = pipeline.at("/workflows/0/jobs/0");
        assertEquals("OIDC-with-AWS", pipeline.at("/workflows/0/name").asText());
        assertEquals("aws-example", job.get("name").asText());
        assertEquals("cimg/aws:2022.06", job.get("image").asText());
        assertEquals(List.of("Checkout code", "aws-cli/setup", "Log-into-AWS-ECR"), names(job.get("steps")));

        UUID jobId = UUID.fromString(job.get("id").asText());
        JsonNode done = keyless.awaitStatus(org, jobId, Duration.ofSeconds(180), "success", "failed");
        String output = read(platform.log(log));
        System.out.println("AWS example executor output:\n" + output);
        assertEquals("success", done.get("status").asText().toLowerCase(), () -> done + "\n" + output);

        assertTrue(output.contains("checked out " + revision + " from file://"), output);
        assertTrue(
                output.contains("role-session-name \u201cexample-session\u201d has characters AWS does not allow"),
                output);
        assertTrue(output.contains("[keyless] step 1/3 \"Checkout code\" exit code 0"), output);
        assertTrue(output.contains("[keyless] step 2/3 \"aws-cli/setup\" exit code 0"), output);
        assertTrue(output.contains("[keyless] step 3/3 \"Log-into-AWS-ECR\" exit code 0"), output);
        // the profile from step 2 assumed the role: the web identity token verified, with the orb's parameters
        assertEquals(List.of(), refusals);
        Map<String, String> assumed = awsCalls.stream()
                .filter(call -> "AssumeRoleWithWebIdentity".equals(call.get("Action")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no AssumeRoleWithWebIdentity: " + awsCalls));
        assertEquals("arn:aws:iam::123456789012:role/OIDC-ROLE", assumed.get("RoleArn"));
        assertEquals("example-session", assumed.get("RoleSessionName"));
        // then ECR answered the login with the assumed role's credentials
        assertTrue(
                awsCalls.stream()
                        .anyMatch(call -> call.getOrDefault("target", "").contains("GetAuthorizationToken")),
                () -> "no ECR call: " + awsCalls);
        assertFalse(output.contains("eyJ"), "no token appears in the output");

        // the same config again: the second job assumes the role with its own token, never with credentials the
        // first job's AWS CLI cached (each job has a home of its own)
        JsonNode again = trigger(org, Files.readString(EXAMPLES.resolve("aws-example.yml"), StandardCharsets.UTF_8));
        UUID secondJob = UUID.fromString(again.at("/workflows/0/jobs/0/id").asText());
        JsonNode secondDone = keyless.awaitStatus(org, secondJob, Duration.ofSeconds(180), "success", "failed");
        assertEquals("success", secondDone.get("status").asText().toLowerCase(), () -> read(platform.log(log)));
        assertEquals(
                2,
                awsCalls.stream()
                        .filter(call -> "AssumeRoleWithWebIdentity".equals(call.get("Action")))
                        .count(),
                () -> "each job assumed the role itself: " + awsCalls);
        assertEquals(List.of(), refusals);
    }

    @Test
    void theGcpExampleFailsAtTheInstallStepWithoutGcloudAndWithAStandInRunsCreateCredConfigWithTheDefaults()
            throws IOException {
        Keyless.Org org = keyless.createOrg();
        keyless.createContext(
                org,
                "gcp-oidc-dev",
                Map.of(
                        "GCP_PROJECT_ID",
                        "keyless-test-project",
                        "GCP_WIP_ID",
                        "keyless-pool",
                        "GCP_WIP_PROVIDER_ID",
                        "keyless-provider",
                        "GCP_SERVICE_ACCOUNT_EMAIL",
                        "deployer@keyless-test-project.iam.gserviceaccount.com"));
        String config = Files.readString(EXAMPLES.resolve("gcp-example.yml"), StandardCharsets.UTF_8);
        Path withoutGcloud = pathWithout("gcloud", work.resolve("bin-without-gcloud"));

        // no gcloud on the machine: the install step fails naming it, and nothing after it runs
        String bare = "executor-circleci-gcp-bare";
        Process first = executor(bare, org, Map.of("PATH", withoutGcloud.toString()));
        JsonNode pipeline = trigger(org, config);
        System.out.println("GCP example pipeline: " + pipeline.toPrettyString());
        JsonNode job = pipeline.at("/workflows/0/jobs/0");
        assertEquals("Generate Creds File and Authenticate", job.get("name").asText());
        assertEquals(
                List.of(
                        "gcp-cli/install",
                        "# Store OIDC token in temp file",
                        "# Configure gcloud to leverage the generated credential configuration",
                        "Verify that gcloud is authenticated",
                        "Verify that ADC works"),
                names(job.get("steps")));
        UUID failedJob = UUID.fromString(job.get("id").asText());
        JsonNode failed = keyless.awaitStatus(org, failedJob, Duration.ofSeconds(120), "success", "failed");
        String bareOutput = read(platform.log(bare));
        System.out.println("GCP example without gcloud, executor output:\n" + bareOutput);
        assertEquals("failed", failed.get("status").asText().toLowerCase(), bareOutput);
        assertEquals(127, failed.get("exit_code").asInt());
        assertTrue(bareOutput.contains("gcp-cli/install: gcloud is not on PATH"), bareOutput);
        assertTrue(bareOutput.contains("[keyless] step 1/5 \"gcp-cli/install\" exit code 127"), bareOutput);
        assertFalse(bareOutput.contains("step 2/5"), bareOutput);
        KeylessPlatform.stop(first);

        // a recording stand-in gcloud (and curl, for the check against Google's tokeninfo) on PATH
        Path record = Files.createDirectories(work.resolve("gcloud-calls"));
        Path standIns = standIns(work.resolve("stand-ins"), record);
        String recorded = "executor-circleci-gcp";
        executor(recorded, org, Map.of("PATH", standIns + ":" + withoutGcloud));
        JsonNode second = trigger(org, config);
        UUID jobId = UUID.fromString(second.at("/workflows/0/jobs/0/id").asText());
        JsonNode done = keyless.awaitStatus(org, jobId, Duration.ofSeconds(120), "success", "failed");
        String output = read(platform.log(recorded));
        System.out.println("GCP example with a stand-in gcloud, executor output:\n" + output);
        assertEquals("success", done.get("status").asText().toLowerCase(), () -> done + "\n" + output);
        for (int step = 1; step <= 5; step++) {
            assertTrue(output.matches("(?s).*\\[keyless] step " + step + "/5 \"[^\"]+\" exit code 0.*"), output);
        }

        List<String> createCredConfig = call(record, "create-cred-config");
        assertEquals(
                List.of(
                        "iam",
                        "workload-identity-pools",
                        "create-cred-config",
                        "projects/keyless-test-project/locations/global/workloadIdentityPools/keyless-pool/providers/keyless-provider",
                        "--output-file=/home/circleci/gcp_cred_config.json",
                        "--service-account=deployer@keyless-test-project.iam.gserviceaccount.com",
                        "--credential-source-file=/home/circleci/oidc_token.json"),
                createCredConfig);
        assertEquals(
                List.of("auth", "login", "--brief", "--cred-file", "/home/circleci/gcp_cred_config.json"),
                call(record, "login"));
        // the step's own environment wins over the context's value of the same variable
        assertEquals(
                List.of(
                        "iam",
                        "service-accounts",
                        "get-iam-policy",
                        "jennings-oidc-test@makoto-workbench.iam.gserviceaccount.com"),
                call(record, "get-iam-policy"));
        // $BASH_ENV carried the export of one step into the next
        assertEquals(
                "/home/circleci/gcp_cred_config.json",
                Files.readString(record.resolve("adc")).strip());

        String token = Files.readString(record.resolve("credential-source-file"), StandardCharsets.UTF_8)
                .strip();
        RelyingParty.Verified verified = new RelyingParty(platform.issuerUrl() + "/org/" + org.id())
                .verify(token, org.id().toString());
        assertEquals(
                org.projectId().toString(),
                verified.rawClaims().path("oidc.keyless.dev/project-id").asText());
        assertFalse(output.contains("eyJ"), "no token appears in the output");
    }

    private static Process executor(String log, Keyless.Org org, Map<String, String> environment) throws IOException {
        Process executor = platform.startExecutor(
                log,
                environment,
                "--project",
                org.projectId().toString(),
                "--checkout-url",
                "file://" + work.resolve("repos") + "/{vcs_origin}");
        executors.add(executor);
        return executor;
    }

    private static JsonNode trigger(Keyless.Org org, String config) {
        Http.Response response = Http.send(
                "POST",
                platform.schedulerUrl() + "/api/v1/projects/" + org.projectId() + "/pipelines?branch=main&revision="
                        + revision + "&trigger_source=push&user_id=" + org.userId(),
                org.adminToken(),
                config,
                "application/x-yaml");
        assertEquals(201, response.status(), () -> "trigger: " + response);
        return response.json();
    }

    private static List<String> names(JsonNode steps) {
        List<String> names = new ArrayList<>();
        steps.forEach(step -> names.add(step.get("name").asText()));
        return names;
    }

    /** The arguments of the stand-in gcloud's call whose arguments include {@code marker}. */
    private static List<String> call(Path record, String marker) throws IOException {
        try (Stream<Path> calls = Files.list(record)) {
            for (Path call : calls.filter(path -> path.getFileName().toString().endsWith(".args"))
                    .sorted()
                    .toList()) {
                List<String> arguments = Files.readAllLines(call, StandardCharsets.UTF_8);
                if (arguments.contains(marker)) {
                    return arguments;
                }
            }
        }
        throw new AssertionError("gcloud was not called with " + marker);
    }

    /** A bare repository with one commit; returns the commit. */
    private static String repository(Path bare) throws IOException, InterruptedException {
        Path source = Files.createDirectories(work.resolve("source"));
        git(source, "init", "--quiet", "--initial-branch=main");
        Files.writeString(source.resolve("README.md"), "the project the examples check out\n");
        git(source, "add", "README.md");
        git(source, "-c", "user.name=Keyless", "-c", "user.email=ci@keyless.test", "commit", "--quiet", "-m", "first");
        Files.createDirectories(bare.getParent());
        git(work, "clone", "--quiet", "--bare", source.toString(), bare.toString());
        return git(source, "rev-parse", "HEAD").strip();
    }

    private static String git(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, () -> command + ": " + output);
        return output;
    }

    /** A directory of links to every command on this PATH but {@code missing}: a machine without it. */
    private static Path pathWithout(String missing, Path directory) throws IOException {
        Files.createDirectories(directory);
        Set<String> linked = new LinkedHashSet<>();
        for (String entry : System.getenv("PATH").split(":")) {
            Path dir = Path.of(entry);
            if (entry.isEmpty() || !Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(dir)) {
                for (Path command : commands.toList()) {
                    String name = command.getFileName().toString();
                    if (!name.equals(missing)
                            && Files.isExecutable(command)
                            && !Files.isDirectory(command)
                            && linked.add(name)) {
                        Files.createSymbolicLink(directory.resolve(name), command.toAbsolutePath());
                    }
                }
            }
        }
        return directory;
    }

    /**
     * A {@code gcloud} that records each call's arguments (one a line) and what the GCP example gives it: the token
     * file's content for create-cred-config, {@code GOOGLE_APPLICATION_CREDENTIALS} as the ADC step sees it; and a
     * {@code curl} that records instead of calling Google's tokeninfo.
     */
    private static Path standIns(Path directory, Path record) throws IOException {
        Files.createDirectories(directory);
        String gcloud = String.join(
                "\n",
                "#!/bin/bash",
                "record=" + record,
                "n=$(ls \"$record\" | wc -l)",
                "printf '%s\\n' \"$@\" > \"$record/call-$(printf %03d \"$n\").args\"",
                "for argument in \"$@\"; do",
                "  case \"$argument\" in",
                "    --credential-source-file=*) cp \"${argument#*=}\" \"$record/credential-source-file\" ;;",
                "    --output-file=*) echo '{\"type\": \"external_account\"}' > \"${argument#*=}\" ;;",
                "  esac",
                "done",
                "case \"$1 $2 $3\" in",
                "  'auth application-default print-access-token')",
                "    echo \"${GOOGLE_APPLICATION_CREDENTIALS:-unset}\" > \"$record/adc\"; echo stand-in-access-token ;;",
                "  'iam service-accounts get-iam-policy') echo 'etag: stand-in' ;;",
                "esac",
                "");
        String curl = "#!/bin/bash\nprintf '%s\\n' \"$@\" > " + record + "/curl.calls\necho 'HTTP/1.1 200 OK'\n";
        write(directory.resolve("gcloud"), gcloud);
        write(directory.resolve("curl"), curl);
        return directory;
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** AWS' endpoint for the job: verifies each web identity token with the issuer's JWKS, records, lets moto answer. */
    private static HttpServer recordingAws(int motoPort) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> call = form(new String(body, StandardCharsets.UTF_8));
                call.put("target", String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")));
                if ("AssumeRoleWithWebIdentity".equals(call.get("Action"))) {
                    verify(call);
                }
                awsCalls.add(call);
                HttpRequest.Builder forward = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + motoPort + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding")
                            .contains(name.toLowerCase())) {
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
            }
        });
        server.start();
        return server;
    }

    private static void verify(Map<String, String> call) {
        try {
            String token = call.get("WebIdentityToken");
            String issuer = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            String iss = Http.JSON.readTree(issuer).get("iss").asText();
            new RelyingParty(iss).verify(token, "sts.amazonaws.com");
        } catch (IOException | RuntimeException | AssertionError e) {
            refusals.add(String.valueOf(e.getMessage()));
        }
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

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
