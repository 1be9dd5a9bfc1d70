package dev.keyless.issuer.token.service;

import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.token.mint.TokenKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Minting and cache metrics (Micrometer; scraped at /q/metrics). */
@ApplicationScoped
public class IssuerMetrics {

    private final MeterRegistry registry;
    private final Timer mintLatency;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    public IssuerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.mintLatency = Timer.builder("keyless.issuer.mint.latency")
                .description("Time to build, sign and verify one token")
                .register(registry);
        this.cacheHits = Counter.builder("keyless.issuer.token.cache")
                .tag("result", "hit")
                .description("Environment pulls served from the token cache")
                .register(registry);
        this.cacheMisses = Counter.builder("keyless.issuer.token.cache")
                .tag("result", "miss")
                .description("Environment pulls that minted tokens")
                .register(registry);
        Gauge.builder("keyless.issuer.token.cache.hit.ratio", this, IssuerMetrics::hitRatio)
                .description("Share of environment pulls served from the cache")
                .register(registry);
    }

    void minted(SigningAlgorithm algorithm, TokenKind kind, long nanos) {
        Counter.builder("keyless.issuer.tokens.minted")
                .tag("algorithm", algorithm.name())
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .description("Tokens minted")
                .register(registry)
                .increment();
        mintLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void cacheHit() {
        cacheHits.increment();
    }

    void cacheMiss() {
        cacheMisses.increment();
    }

    private double hitRatio() {
        double total = cacheHits.count() + cacheMisses.count();
        return total == 0 ? Double.NaN : cacheHits.count() / total;
    }
}
