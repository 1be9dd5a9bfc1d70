package dev.keyless.scheduler;

import dev.keyless.scheduler.pipeline.rest.PipelineResource;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.OpenApiDocumentContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class OpenApiDocumentTest extends OpenApiDocumentContract {

    @Override
    protected Class<?> anyResource() {
        return PipelineResource.class;
    }
}
