package dev.keyless.context.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything context-service is configured with under {@code keyless.context}. */
@ConfigMapping(prefix = "keyless.context")
public interface ContextConfig {

    /** Current key-encryption key (KEK), base64 of 32 bytes. Either this or {@link #keyEncryptionKeyFile()}. */
    Optional<String> keyEncryptionKey();

    /** File holding the current KEK as base64 of 32 bytes (a mounted secret). */
    Optional<Path> keyEncryptionKeyFile();

    /** Id of the current KEK, stored beside every data key it wraps so the KEK can rotate. */
    @WithDefault("kek-1")
    String keyEncryptionKeyId();

    /** Earlier KEKs by id (base64 of 32 bytes): they still unwrap data keys until those are re-wrapped. */
    Map<String, String> previousKeyEncryptionKeys();

    /** Re-wrap data keys still under a previous KEK when the service starts. */
    @WithDefault("true")
    boolean rewrapAtStartup();

    Limits limits();

    Environment environment();

    interface Limits {
        /** Most contexts in one organization. */
        @WithDefault("500")
        int maxContextsPerOrg();

        /** Most variables in one context. */
        @WithDefault("200")
        int maxVariablesPerContext();

        /** Longest variable name, in characters. */
        @WithDefault("128")
        int maxVariableNameLength();

        /** Largest variable value, in UTF-8 bytes. */
        @WithDefault("32768")
        int maxValueBytes();

        /** Most restrictions on one context. */
        @WithDefault("50")
        int maxRestrictionsPerContext();

        /** Longest restriction expression, in characters. */
        @WithDefault("1000")
        int maxExpressionLength();
    }

    interface Environment {
        /** Environment variable that carries the V1 OIDC token. */
        @WithDefault("CIRCLE_OIDC_TOKEN")
        String tokenV1Name();

        /** Environment variable that carries the V2 OIDC token. */
        @WithDefault("CIRCLE_OIDC_TOKEN_V2")
        String tokenV2Name();

        /** Tokens only for jobs that use at least one context (DESIGN's rule); false gives every job tokens. */
        @WithDefault("true")
        boolean tokensRequireContext();

        /** How long a pull waits for resolution or minting before it answers 503. */
        @WithDefault("5s")
        Duration maxWait();

        /** Pause between two looks while a pull waits. */
        @WithDefault("100ms")
        Duration pollInterval();

        /**
         * Longest a pull serves a job's OIDC tokens from this replica's copy of the issuer's answer (after its own
         * checks of the credential, revocation, the job's end and the contexts); at most until half the tokens'
         * remaining lifetime. 0 asks the issuer at every pull.
         */
        @WithDefault("30s")
        Duration tokenCacheTtl();

        /** Most pull audit records written in one insert (records of concurrent pulls are written together). */
        @WithDefault("256")
        int auditBatchMax();

        /** Retry-After sent with a 503. */
        @WithDefault("2")
        int retryAfterSeconds();
    }
}
