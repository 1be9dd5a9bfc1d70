package dev.keyless.context;

import dev.keyless.context.context.rest.ContextResource;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.OpenApiDocumentContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class OpenApiDocumentTest extends OpenApiDocumentContract {

    @Override
    protected Class<?> anyResource() {
        return ContextResource.class;
    }
}
