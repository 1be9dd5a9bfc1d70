package dev.keyless.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What each service's OpenAPI document must satisfy. A service's {@code @QuarkusTest} extends it and names one of
 * its resource classes, whose class loader reads the service's own classes.
 */
public abstract class OpenApiDocumentContract {

    /** {@code http://host:port/q/} of the management interface, which serves the document. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @TestHTTPResource("/")
    URL api;

    private OpenApiCoverage coverage;

    /** Any JAX-RS resource class of the service under test. */
    protected abstract Class<?> anyResource();

    @BeforeEach
    public void fetchDocument() {
        coverage = OpenApiCoverage.of(management, api);
    }

    @Test
    public void everyDocumentedOperationIsRoutedToAnEndpoint() {
        assertFalse(coverage.documentedOperations().isEmpty());
        assertEquals(Set.of(), coverage.unroutedOperations());
    }

    @Test
    public void everyResourceMethodIsDocumentedWithASummary() {
        assertEquals(Set.of(), coverage.undocumentedResourceMethods(anyResource()));
    }
}
