package dev.keyless.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Where the tests find PostgreSQL (database {@code test}, user {@code postgres}, no password) and Kafka. Where a
 * Docker engine answers, Testcontainers starts both, once per test JVM; otherwise the tests use the local server on
 * 127.0.0.1:5432 and the broker deploy/local/test.sh starts on 127.0.0.1:9192.
 *
 * <p>The addresses are kept in system properties, which the services' test configuration reads
 * ({@code ${keyless.test.postgres}}, {@code ${keyless.test.kafka}}): Quarkus loads test resources and tests in
 * different class loaders, and a static field would start the containers once per loader. {@link KeylessTestResource}
 * includes it; a module without that resource names this one in {@code @QuarkusTestResource}.
 */
public class TestInfrastructure implements QuarkusTestResourceLifecycleManager {

    public static final String POSTGRES = "keyless.test.postgres";
    public static final String KAFKA = "keyless.test.kafka";

    private static final Logger LOG = Logger.getLogger(TestInfrastructure.class);

    @Override
    public Map<String, String> start() {
        return properties();
    }

    @Override
    public void stop() {
        // containers, when started, serve every test of this JVM and go with it
    }

    /** The configuration the services' test profiles read the addresses from. */
    public static Map<String, String> properties() {
        return Map.of(POSTGRES, postgres(), KAFKA, kafkaBootstrapServers());
    }

    /** Starts the containers or settles on the local services, the first time it is called in this JVM. */
    private static synchronized void settle() {
        if (System.getProperty(POSTGRES) != null && System.getProperty(KAFKA) != null) {
            return;
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            LOG.info(
                    "no Docker engine: the tests use the local PostgreSQL on 127.0.0.1:5432 and Kafka on 127.0.0.1:9192");
            System.setProperty(POSTGRES, "127.0.0.1:5432");
            System.setProperty(KAFKA, "127.0.0.1:9192");
            return;
        }
        // no password: trust authentication, as the local server the tests otherwise use
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine")
                .withDatabaseName("test")
                .withUsername("postgres")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:" + kafkaVersion());
        postgres.start();
        kafka.start();
        // Testcontainers' Ryuk removes both when this JVM exits
        System.setProperty(
                POSTGRES, postgres.getHost() + ":" + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT));
        System.setProperty(KAFKA, kafka.getBootstrapServers());
        LOG.infof(
                "Docker engine found: the tests use Testcontainers' PostgreSQL on %s and Kafka on %s",
                System.getProperty(POSTGRES), System.getProperty(KAFKA));
    }

    /** host:port of the test PostgreSQL. */
    public static String postgres() {
        settle();
        return System.getProperty(POSTGRES);
    }

    /** JDBC URL of database {@code test} with {@code schema} as the current schema. */
    public static String jdbcUrl(String schema) {
        return "jdbc:postgresql://" + postgres() + "/test?currentSchema=" + schema;
    }

    /** Bootstrap servers of the test Kafka broker. */
    public static String kafkaBootstrapServers() {
        settle();
        return System.getProperty(KAFKA);
    }

    private static String kafkaVersion() {
        Properties properties = new Properties();
        try (InputStream in = TestInfrastructure.class.getResourceAsStream("/keyless-test-infrastructure.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("kafka.version");
    }
}
