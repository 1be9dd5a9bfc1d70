package dev.keyless.issuer;

import dev.keyless.testing.KeylessTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static io.restassured.RestAssured.given;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
class ManagementInterfaceTest {

    /** {@code http://host:port/q/} of the management interface. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void healthMetricsAndOpenApiAreOnlyOnTheManagementPortNotOnTheApiPort() {
        for (String path : List.of("health/live", "health/ready", "metrics", "openapi")) {
            given().get("/q/" + path).then().statusCode(404);
            given().get(management + path).then().statusCode(200);
        }
    }
}
