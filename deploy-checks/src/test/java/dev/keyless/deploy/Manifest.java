package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One rendered Kubernetes object and the overlay it came from. */
record Manifest(String overlay, JsonNode body) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Parses a multi-document YAML stream, skipping empty documents. */
    static List<Manifest> parseAll(String overlay, String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents =
                YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.isObject() && document.has("kind")) {
                    manifests.add(new Manifest(overlay, document));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered YAML of overlay " + overlay + " does not parse", e);
        }
        return manifests;
    }

    String kind() {
        return body.path("kind").asText();
    }

    String name() {
        return body.path("metadata").path("name").asText();
    }

    String namespace() {
        return body.path("metadata").path("namespace").asText("");
    }

    JsonNode spec() {
        return body.path("spec");
    }

    boolean is(String kind, String name) {
        return kind().equals(kind) && name().equals(name);
    }

    /** How failures name this object: overlay, kind, namespace/name. */
    String id() {
        String ns = namespace().isEmpty() ? "" : namespace() + "/";
        return overlay + ": " + kind() + " " + ns + name();
    }

    /** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job), or a missing node. */
    JsonNode podSpec() {
        return spec().path("template").path("spec");
    }

    static Map<String, String> labels(JsonNode labelsNode) {
        Map<String, String> labels = new TreeMap<>();
        labelsNode
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
