package dev.keyless.issuer;

import dev.keyless.issuer.token.rest.OnDemandTokenResource;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.OpenApiDocumentContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class OpenApiDocumentTest extends OpenApiDocumentContract {

    @Override
    protected Class<?> anyResource() {
        return OnDemandTokenResource.class;
    }
}
