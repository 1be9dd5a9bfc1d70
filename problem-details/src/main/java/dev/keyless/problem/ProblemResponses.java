package dev.keyless.problem;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The problem responses of the OpenAPI documents, defined once: an operation names the ones it really gives with
 * {@code @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)}. A service enables this filter with
 * {@code mp.openapi.filter=dev.keyless.problem.ProblemResponses}, which adds the responses and the Problem schema to
 * the document's components.
 */
public class ProblemResponses implements OASFilter {

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String UNPROCESSABLE = "Unprocessable";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String UNAVAILABLE = "Unavailable";

    private static final String SCHEMA = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        descriptions().forEach((name, description) -> openAPI.getComponents()
                .addResponse(
                        name,
                        OASFactory.createAPIResponse()
                                .description(description)
                                .content(OASFactory.createContent()
                                        .addMediaType(
                                                Problem.MEDIA_TYPE,
                                                OASFactory.createMediaType()
                                                        .schema(OASFactory.createSchema()
                                                                .ref(SCHEMA))))));
    }

    private static Map<String, String> descriptions() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        descriptions.put(BAD_REQUEST, "The request is malformed or invalid; the detail names the field");
        descriptions.put(UNAUTHORIZED, "No valid credential for this endpoint (the WWW-Authenticate header names it)");
        descriptions.put(FORBIDDEN, "The credential is valid but does not allow this operation or organization");
        descriptions.put(NOT_FOUND, "The resource does not exist (or is not visible to the caller)");
        descriptions.put(CONFLICT, "The request conflicts with the resource's current state");
        descriptions.put(UNPROCESSABLE, "The request is well-formed but its content cannot be applied");
        descriptions.put(TOO_MANY_REQUESTS, "Rate limited; Retry-After says when to try again");
        descriptions.put(UNAVAILABLE, "A dependency is unavailable or the result is not ready; retry later");
        return descriptions;
    }

    /** RFC 9457 members, as {@link Problem} serializes them. */
    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema error = OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .addProperty("line", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("column", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("message", string);
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .addProperty("type", string)
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string)
                .addProperty(
                        "errors",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .items(error))
                .addRequired("type")
                .addRequired("title")
                .addRequired("status");
    }
}
