package dev.keyless.issuer.bench;

import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.token.mint.JobClaimData;
import dev.keyless.issuer.token.mint.TokenClaims;
import dev.keyless.issuer.token.mint.TokenKind;
import dev.keyless.issuer.token.mint.TokenMinter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The service's whole mint path (claims, JSON, base64url, signing) against raw {@link Signature} signing of an
 * input of the same size with the same key, in the same run.
 */
@State(Scope.Thread)
public class MintBenchmark {

    @Param({"RS256", "ES256"})
    public String algorithm;

    private SigningKey key;
    private Signature raw;
    private Signature verifier;
    private PublicKey publicKey;
    private byte[] rawInput;
    private final TokenMinter minter = new TokenMinter();
    private final TokenClaims claims = new TokenClaims("oidc.keyless.dev");
    private final JobClaimData job = new JobClaimData(
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            "github.com/acme/app",
            "refs/heads/main",
            false,
            List.of(UUID.randomUUID(), UUID.randomUUID()));
    private final String issuer = "https://oidc.keyless.dev/org/" + job.orgId();

    @Setup
    public void setUp() throws GeneralSecurityException {
        SigningAlgorithm alg = SigningAlgorithm.parse(algorithm);
        KeyPairGenerator generator = KeyPairGenerator.getInstance(alg.keyType());
        if (alg == SigningAlgorithm.RS256) {
            generator.initialize(2048);
        } else {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        KeyPair pair = generator.generateKeyPair();
        key = SigningKey.of("bench", alg, pair);
        publicKey = pair.getPublic();
        raw = Signature.getInstance(alg.jcaName());
        raw.initSign(pair.getPrivate());
        verifier = Signature.getInstance(alg.jcaName());
        String sample = mintPath();
        rawInput = sample.substring(0, sample.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    /** Raw JCA: sign a token-sized input with an initialised {@link Signature}. */
    @Benchmark
    public byte[] rawSignature() throws GeneralSecurityException {
        raw.update(rawInput);
        return raw.sign();
    }

    /** What the service does for each token before the publish check: claims, JSON, base64url, sign. */
    @Benchmark
    public String mintPath() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return minter.mint(
                key,
                claims.build(
                        TokenKind.V2,
                        job,
                        issuer,
                        job.orgId().toString(),
                        now,
                        now.plus(Duration.ofHours(1)),
                        UUID.randomUUID()));
    }

    /** The mint path plus the service's verification against the published key (SPIRE-style). */
    @Benchmark
    public boolean mintPathWithPublishedKeyCheck() throws GeneralSecurityException {
        String token = mintPath();
        int dot = token.lastIndexOf('.');
        verifier.initVerify(publicKey);
        verifier.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
    }
}
