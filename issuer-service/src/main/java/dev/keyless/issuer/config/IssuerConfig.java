package dev.keyless.issuer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything an operator tunes about the issuer. */
@ConfigMapping(prefix = "keyless.issuer")
public interface IssuerConfig {

    /**
     * Public base URL; each org's issuer is {@code {base-url}/org/{orgId}}. Required in prod. When absent (dev,
     * test) the service uses {@code http://localhost:{bound port}}.
     */
    Optional<String> baseUrl();

    /** Prefix of the namespaced claims, e.g. {@code oidc.keyless.dev/project-id}. */
    @WithDefault("oidc.keyless.dev")
    String claimNamespace();

    /** Lifetime of the V1 and V2 tokens delivered into the job environment. */
    @WithDefault("3600s")
    Duration tokenLifetime();

    /** A job gets tokens only when it uses at least one context (CircleCI's rule). */
    @WithDefault("true")
    boolean requireContext();

    Keys keys();

    Cache cache();

    OnDemand onDemand();

    SubjectTemplates subjectTemplates();

    interface Keys {

        /** Algorithm of newly generated keys: RS256 or ES256. */
        @WithDefault("RS256")
        String algorithm();

        /** RSA modulus length of new RS256 keys (2048 or more). */
        @WithDefault("2048")
        int rsaKeySize();

        /** Key-encryption key: 32 bytes, base64. Prefer {@link #kekFile()} (a mounted secret). */
        Optional<String> kek();

        /** File holding the base64 key-encryption key. */
        Optional<String> kekFile();

        /** Dev and test only: make up an ephemeral KEK when none is configured (prod refuses to start). */
        @WithDefault("false")
        boolean allowGeneratedKek();

        /** How long an active key signs before its successor takes over. */
        @WithDefault("7d")
        Duration rotationPeriod();

        /**
         * How long a new key is published in the JWKS before it signs. Must exceed {@link #jwksMaxAge()}, so a
         * relying party's cached JWKS already holds the key when its first token arrives.
         */
        @WithDefault("15m")
        Duration publishAhead();

        /** Extra time a retired key stays published after the last token it signed expired. */
        @WithDefault("10m")
        Duration unpublishMargin();

        /** {@code Cache-Control: max-age} of discovery and JWKS. */
        @WithDefault("300s")
        Duration jwksMaxAge();

        /**
         * How often each replica checks the ring version, renews its lease and checks that a key signs and a
         * standby is published.
         */
        @WithDefault("2s")
        Duration ringPollInterval();

        /**
         * How long a replica may sign after it last confirmed its ring is current. A revoke answers once every
         * replica has loaded it or this lease ran out; a replica cut off from the database stops signing after
         * it. Must exceed twice {@link #ringPollInterval()}.
         */
        @WithDefault("10s")
        Duration ringLease();

        /** How often a replica destroys private keys no longer needed and forgets replicas that died. */
        @WithDefault("30s")
        Duration rotationCheckInterval();
    }

    interface Cache {

        /** A cached token is re-minted when less than this share of its lifetime remains. */
        @WithDefault("0.5")
        double remintBelowShare();
    }

    interface OnDemand {

        /** Longest lifetime a caller may ask for (never beyond the job's remaining time). */
        @WithDefault("3600s")
        Duration maxTtl();

        /** Shortest lifetime a caller may ask for. */
        @WithDefault("60s")
        Duration minTtl();

        /** Most on-demand tokens per job within {@link #rateWindow()}. */
        @WithDefault("30")
        int rateLimit();

        @WithDefault("60s")
        Duration rateWindow();

        /** Optional per-org allow-list of audiences: {@code allowed-audiences."<orgId>"=a,b}. */
        @WithName("allowed-audiences")
        Map<String, List<String>> allowedAudiences();
    }

    interface SubjectTemplates {

        /**
         * How often a replica reloads the subject templates: a version saved on another replica is used here within
         * this (a version saved here at once). Roll-outs are scheduled ahead with activate_at, so this is rarely felt.
         */
        @WithDefault("5s")
        Duration refreshInterval();
    }
}
