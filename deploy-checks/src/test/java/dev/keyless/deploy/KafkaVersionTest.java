package dev.keyless.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The root pom's {@code kafka.version} is the one place the Kafka version is written; the compose file and the
 * Strimzi cluster cannot read a pom, so they are held to it here.
 */
class KafkaVersionTest {

    private static final Pattern POM_PROPERTY = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>");
    private static final Pattern COMPOSE_IMAGE = Pattern.compile("apache/kafka:(\\S+)");

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    private static String pomKafkaVersion() throws IOException {
        Matcher matcher =
                POM_PROPERTY.matcher(Files.readString(Kustomize.repoRoot().resolve("pom.xml")));
        if (!matcher.find()) {
            throw new IllegalStateException("the root pom has no kafka.version property");
        }
        return matcher.group(1);
    }

    @Test
    void composeRunsTheKafkaImageOfTheRootPomVersion() throws IOException {
        String compose = Files.readString(Kustomize.repoRoot().resolve("deploy/compose/docker-compose.yml"));
        List<String> tags =
                COMPOSE_IMAGE.matcher(compose).results().map(m -> m.group(1)).toList();
        assertFalse(tags.isEmpty(), "the compose file names no apache/kafka image");
        for (String tag : tags) {
            assertEquals(pomKafkaVersion(), tag, "compose's apache/kafka image tag");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void strimziRunsTheRootPomKafkaVersion(String overlay) throws IOException {
        List<Manifest> kafkas = WorkloadRules.ofKind(Kustomize.render(overlay), "Kafka");
        assertFalse(kafkas.isEmpty(), overlay + ": no Strimzi Kafka");
        for (Manifest kafka : kafkas) {
            assertEquals(
                    pomKafkaVersion(),
                    kafka.spec().path("kafka").path("version").asText(),
                    kafka.id());
        }
    }
}
