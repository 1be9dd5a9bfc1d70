package dev.keyless.executor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.executor.Log;
import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.KeylessApi;
import dev.keyless.executor.api.MintedToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the job's registered token files fresh ({@link TokenRegistry}) while the job runs: a file is re-minted once
 * {@code share} of its token's lifetime is used, so a cloud SDK that re-reads it (AWS' web identity provider, Google's
 * identity pool credentials) always finds a valid token, in a job of any length. A token that already lives until
 * the job's end is left alone: the issuer caps every token at the job's deadline, so a new one could not live longer.
 */
public final class TokenRefresher {

    /** After a failed re-mint (issuer down, rate limit), the next attempt waits at least this long. */
    static final Duration RETRY = Duration.ofSeconds(5);

    /** Mints a token for a caller-chosen audience with the job's current credential. */
    @FunctionalInterface
    public interface Minter {
        MintedToken mint(String audience, int ttlSeconds) throws IOException, InterruptedException, ApiException;
    }

    private final TokenRegistry registry;
    private final Minter minter;
    private final double share;
    private final Instant jobEnd;
    private final Clock clock;
    private final Map<String, Instant> notBefore = new HashMap<>();

    /**
     * @param share  the used share of a token's lifetime after which it is re-minted, in (0, 1)
     * @param jobEnd the job's deadline, past which no token can live
     */
    public TokenRefresher(TokenRegistry registry, Minter minter, double share, Instant jobEnd, Clock clock) {
        this.registry = registry;
        this.minter = minter;
        this.share = share;
        this.jobEnd = jobEnd;
        this.clock = clock;
    }

    /** Re-mints every registered token file that is due; returns how many were replaced. */
    public synchronized int refreshDue() throws InterruptedException {
        int refreshed = 0;
        try {
            for (TokenRegistry.Registration registration : registry.registrations()) {
                if (due(registration) && refresh(registration)) {
                    refreshed++;
                }
            }
        } catch (IOException e) {
            Log.info("cannot read the job's token registrations: " + e.getMessage());
        }
        return refreshed;
    }

    private boolean due(TokenRegistry.Registration registration) throws IOException {
        Instant now = clock.instant();
        Instant wait = notBefore.get(registration.name());
        if (wait != null && now.isBefore(wait)) {
            return false;
        }
        String token;
        try {
            token = Files.readString(registration.tokenFile(), StandardCharsets.UTF_8)
                    .strip();
        } catch (NoSuchFileException e) {
            return true;
        }
        Instant[] times = lifetime(token);
        if (times == null) {
            return true;
        }
        if (!times[1].isBefore(jobEnd)) {
            return false;
        }
        long lifetimeMillis = Duration.between(times[0], times[1]).toMillis();
        return !now.isBefore(times[0].plusMillis((long) (lifetimeMillis * share)));
    }

    private boolean refresh(TokenRegistry.Registration registration) throws InterruptedException {
        try {
            MintedToken minted = minter.mint(registration.audience(), registration.ttlSeconds());
            PrivateFiles.write(registration.tokenFile(), minted.token());
            notBefore.remove(registration.name());
            Instant[] times = lifetime(minted.token());
            Log.info("refreshed token file " + registration.tokenFile().getFileName() + " (audience "
                    + registration.audience() + ", valid until " + (times == null ? "?" : times[1]) + ")");
            return true;
        } catch (ApiException e) {
            long seconds = Math.max(RETRY.toSeconds(), e.retryAfterSeconds().orElse(0L));
            notBefore.put(registration.name(), clock.instant().plusSeconds(seconds));
            Log.info("cannot refresh token file " + registration.tokenFile().getFileName() + ", retrying in " + seconds
                    + " s: " + e.getMessage());
        } catch (IOException e) {
            notBefore.put(registration.name(), clock.instant().plus(RETRY));
            Log.info("cannot refresh token file " + registration.tokenFile().getFileName() + ", retrying in "
                    + RETRY.toSeconds() + " s: " + e.getMessage());
        }
        return false;
    }

    /** {iat, exp} of a JWT, or null when it is not one. */
    static Instant[] lifetime(String token) {
        try {
            String[] parts = token.split("\\.");
            JsonNode claims = KeylessApi.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!claims.path("iat").canConvertToLong() || !claims.path("exp").canConvertToLong()) {
                return null;
            }
            return new Instant[] {
                Instant.ofEpochSecond(claims.path("iat").asLong()),
                Instant.ofEpochSecond(claims.path("exp").asLong())
            };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
