package dev.keyless.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the services that serve a job verify its credential. */
@ConfigMapping(prefix = "keyless.job-credential")
public interface JobCredentialConfig {

    /** PEM public key of scheduler-service's job-credential signing key (file path or URL). */
    String publicKeyLocation();

    /** Expected {@code iss}. */
    @WithDefault(JobCredentialClaims.ISSUER)
    String issuer();

    /** Expected {@code aud}. */
    @WithDefault(JobCredentialClaims.AUDIENCE)
    String audience();

    /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}, in seconds. */
    @WithDefault("30")
    int clockSkewSeconds();
}
