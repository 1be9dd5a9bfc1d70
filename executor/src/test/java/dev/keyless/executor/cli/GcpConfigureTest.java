package dev.keyless.executor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keyless.executor.Main;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.job.TokenRefresher;
import dev.keyless.executor.job.TokenRegistry;
import dev.keyless.executor.testing.JobFixture;
import dev.keyless.executor.testing.LocalIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Google's auth library for Java loads what {@code executor gcp configure} writes and exchanges the job's token at a
 * local stand-in of sts.googleapis.com, which checks the token's signature with the issuer's JWKS.
 */
class GcpConfigureTest {

    private static final String PROVIDER =
            "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/keyless-ci/providers/keyless";

    private JobFixture job;
    private HttpServer sts;
    private final List<Map<String, String>> exchanges = new CopyOnWriteArrayList<>();

    @TempDir
    Path keys;

    private KeyStore keyStore;

    /** Google's library speaks only https to a token URL: a certificate of our own, for 127.0.0.1. */
    private SSLContext tls() throws Exception {
        Path store = keys.resolve("sts.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "sts",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().readAllBytes();
        assertEquals(0, keytool.waitFor());
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    @BeforeEach
    void start() throws Exception {
        job = new JobFixture();
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls()));
        sts = https;
        sts.createContext("/v1/token", exchange -> {
            try (exchange) {
                Map<String, String> form =
                        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
                processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                        JWSAlgorithm.RS256, new ImmutableJWKSet<>(job.issuer.publicKeys())));
                processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                        "https:" + PROVIDER,
                        new JWTClaimsSet.Builder().issuer(job.issuer.issuer()).build(),
                        Set.of("sub", "exp")));
                processor.process(form.get("subject_token"), null);
                exchanges.add(form);
                LocalIssuer.respond(
                        exchange,
                        200,
                        KeylessApi.JSON.writeValueAsString(Map.of(
                                "access_token",
                                "ya29.access-" + exchanges.size(),
                                "issued_token_type",
                                "urn:ietf:params:oauth:token-type:access_token",
                                "token_type",
                                "Bearer",
                                "expires_in",
                                3600)));
            } catch (Exception e) {
                LocalIssuer.respond(
                        exchange,
                        400,
                        KeylessApi.JSON.writeValueAsString(
                                Map.of("error", "invalid_grant", "error_description", String.valueOf(e.getMessage()))));
            }
        });
        sts.start();
    }

    @AfterEach
    void stop() throws Exception {
        sts.stop(0);
        job.close();
    }

    private String tokenUrl() {
        return "https://127.0.0.1:" + sts.getAddress().getPort() + "/v1/token";
    }

    @Test
    void googlesAuthLibraryExchangesTheJobsTokenFromTheWrittenConfigurationAndRereadsTheRefreshedFile()
            throws Exception {
        JobFixture.Result result = job.execute("gcp", "configure", "--provider", PROVIDER, "--token-url", tokenUrl());
        assertEquals(0, result.exitCode(), result.err());
        Path config = job.files.directory().resolve("gcp/credentials.json");
        assertEquals(
                "export GOOGLE_APPLICATION_CREDENTIALS='" + config + "'\n"
                        + "export CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE='" + config + "'\n",
                result.out());
        assertTrue(result.err().contains("executor: wrote the credential configuration " + config), result.err());
        assertFalse(result.out().contains("eyJ") || result.err().contains("eyJ"), "no token is printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));

        JsonNode written = KeylessApi.JSON.readTree(config.toFile());
        assertEquals("external_account", written.get("type").asText());
        assertEquals(PROVIDER, written.get("audience").asText());
        Path tokenFile = Path.of(written.at("/credential_source/file").asText());
        assertEquals(job.files.directory().resolve("tokens/gcp-keyless-ci-keyless.jwt"), tokenFile);
        assertFalse(written.has("service_account_impersonation_url"));

        GoogleCredentials credentials;
        try (InputStream in = Files.newInputStream(config)) {
            NetHttpTransport transport =
                    new NetHttpTransport.Builder().trustCertificates(keyStore).build();
            credentials = GoogleCredentials.fromStream(in, () -> transport)
                    .createScoped("https://www.googleapis.com/auth/cloud-platform");
        }
        assertInstanceOf(ExternalAccountCredentials.class, credentials);
        AccessToken first = credentials.refreshAccessToken();
        assertEquals("ya29.access-1", first.getTokenValue());
        Map<String, String> exchange = exchanges.get(0);
        assertEquals(
                Files.readString(tokenFile), exchange.get("subject_token"), "the job's token is the subject token");
        assertEquals("urn:ietf:params:oauth:token-type:jwt", exchange.get("subject_token_type"));
        assertEquals("urn:ietf:params:oauth:grant-type:token-exchange", exchange.get("grant_type"));
        assertEquals(PROVIDER, exchange.get("audience"));

        // the executor re-mints the file; the library's next exchange sends the new token
        new TokenRefresher(
                        new TokenRegistry(job.files.directory()),
                        (audience, ttl) -> new KeylessApi()
                                .mintToken(job.issuer.baseUrl(), job.jobId, job.files.current(), audience, ttl),
                        0.5,
                        Instant.now().plusSeconds(86400),
                        Clock.fixed(Instant.now().plusSeconds(3600), ZoneOffset.UTC))
                .refreshDue();
        assertEquals("ya29.access-2", credentials.refreshAccessToken().getTokenValue());
        assertNotEquals(exchanges.get(0).get("subject_token"), exchanges.get(1).get("subject_token"));
        assertEquals(Files.readString(tokenFile), exchanges.get(1).get("subject_token"));
    }

    @Test
    void aServiceAccountToImpersonateAndAnOutputFileAreWrittenAndGooglesStsIsTheDefault() throws Exception {
        Path output = job.files.directory().resolve("elsewhere/gcp.json");
        JobFixture.Result result = job.execute(
                "gcp",
                "configure",
                "--provider",
                PROVIDER,
                "--service-account",
                "deployer@my-project.iam.gserviceaccount.com",
                "--output",
                output.toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode written = KeylessApi.JSON.readTree(output.toFile());
        assertEquals(
                "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                        + "deployer@my-project.iam.gserviceaccount.com:generateAccessToken",
                written.get("service_account_impersonation_url").asText());
        assertEquals(
                "https://sts.googleapis.com/v1/token", written.get("token_url").asText());
        assertTrue(result.out().startsWith("export GOOGLE_APPLICATION_CREDENTIALS='" + output + "'"), result.out());
    }

    @Test
    void aProviderThatIsNotAWorkloadIdentityProviderOrAPlainHttpTokenUrlIsAUsageError() {
        assertEquals(
                Main.USAGE,
                job.execute("gcp", "configure", "--provider", "projects/1/providers/x")
                        .exitCode());
        assertEquals(
                Main.USAGE,
                job.execute(
                                "gcp",
                                "configure",
                                "--provider",
                                PROVIDER,
                                "--token-url",
                                "http://sts.example.com/v1/token")
                        .exitCode());
        assertEquals(
                Main.USAGE,
                job.execute("gcp", "configure", "--provider", PROVIDER, "--service-account", "not-an-email")
                        .exitCode());
        assertTrue(job.issuer.minted().isEmpty(), "nothing is minted for a refused command");
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
}
