package dev.keyless.issuer.discovery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyless.issuer.key.service.KeyManager;
import dev.keyless.issuer.key.service.PublishedKeys;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Renders the JWKS of the published keys, rendered again only when the published set changes. */
@ApplicationScoped
public class JwksDocument {

    private final ObjectMapper json;
    private final KeyManager keys;
    private final AtomicReference<Rendered> rendered = new AtomicReference<>();

    public JwksDocument(ObjectMapper json, KeyManager keys) {
        this.json = json;
        this.keys = keys;
    }

    public PublishedKeySet current() {
        PublishedKeys published = keys.publishedKeys();
        List<String> kids = published.kids();
        Rendered cached = rendered.get();
        // the set changes with the ring version and, between versions, as keys reach their unpublish time
        if (cached != null
                && cached.ringVersion() == published.ringVersion()
                && cached.set().kids().equals(kids)) {
            return cached.set();
        }
        PublishedKeySet fresh = render(published, kids);
        rendered.set(new Rendered(published.ringVersion(), fresh));
        return fresh;
    }

    private PublishedKeySet render(PublishedKeys published, List<String> kids) {
        List<Object> jwks = new ArrayList<>();
        for (PublishedKeys.Jwk key : published.keys()) {
            try {
                jwks.add(json.readValue(key.json(), Map.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render the JWKS", e);
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("keys", jwks);
        DiscoveryDocuments.Document rendered = DiscoveryDocuments.Document.render(json, document);
        return new PublishedKeySet(rendered.json(), rendered.etag(), kids);
    }

    private record Rendered(long ringVersion, PublishedKeySet set) {}
}
