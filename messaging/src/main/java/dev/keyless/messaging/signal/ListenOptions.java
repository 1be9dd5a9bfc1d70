package dev.keyless.messaging.signal;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.eclipse.microprofile.config.Config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Connection options of the LISTEN connection, taken from the service's reactive datasource settings: URL,
 * credentials and TLS (mode, trusted PEM certificates, host name verification), so the listener reaches the
 * database the way the pool does, also where the database requires verified TLS.
 */
final class ListenOptions {

    private ListenOptions() {}

    static Optional<PgConnectOptions> from(Config config) {
        Optional<String> url = config.getOptionalValue("quarkus.datasource.reactive.url", String.class);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get().replaceFirst("^vertx-reactive:", ""));
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        config.getOptionalValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)
                .map(mode -> SslMode.of(mode.toLowerCase(Locale.ROOT).replace('_', '-')))
                .ifPresent(options::setSslMode);
        if (config.getOptionalValue("quarkus.datasource.reactive.trust-certificate-pem", Boolean.class)
                .orElse(false)) {
            PemTrustOptions trust = new PemTrustOptions();
            config.getOptionalValues("quarkus.datasource.reactive.trust-certificate-pem.certs", String.class)
                    .orElse(List.of())
                    .forEach(trust::addCertPath);
            options.setPemTrustOptions(trust);
        }
        config.getOptionalValue("quarkus.datasource.reactive.hostname-verification-algorithm", String.class)
                .filter(algorithm -> !algorithm.equalsIgnoreCase("NONE"))
                .ifPresent(options::setHostnameVerificationAlgorithm);
        return Optional.of(options);
    }
}
