package dev.keyless.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checks a service's OpenAPI document against its JAX-RS resources, both ways: every documented operation is
 * routed to a resource method, and every resource method is documented with a summary.
 */
public final class OpenApiCoverage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode document;
    private final URI api;

    private OpenApiCoverage(JsonNode document, URI api) {
        this.document = document;
        this.api = api;
    }

    /**
     * @param management the management interface's {@code /q/} URL, where the document is served
     * @param api        the API's base URL
     */
    public static OpenApiCoverage of(URL management, URL api) {
        try {
            return new OpenApiCoverage(
                    JSON.readTree(
                            get(uri(management).resolve("openapi?format=json")).body()),
                    uri(api));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each documented operation as {@code "METHOD /path/{param}"}. */
    public Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return operations;
    }

    /** Resource methods of the service {@code anchor} belongs to that the document lacks or gives no summary. */
    public Set<String> undocumentedResourceMethods(Class<?> anchor) {
        Set<String> missing = new TreeSet<>();
        for (String operation : resourceOperations(anchor)) {
            if (operation(operation).path("summary").asText("").isBlank()) {
                missing.add(operation);
            }
        }
        return missing;
    }

    /**
     * Calls each documented operation without a credential and returns those the router does not know: a 405, or a
     * 404 identical to the one a path that cannot exist gets. A 401, 400 or a resource's own 404 proves the route.
     */
    public Set<String> unroutedOperations() {
        Set<String> unrouted = new TreeSet<>();
        for (String operation : documentedOperations()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = concrete(operation);
            HttpResponse<String> answer = call(method, path, operation);
            HttpResponse<String> noRoute = call(method, path + "/no-such-route-" + UUID.randomUUID(), operation);
            if (answer.statusCode() == 405
                    || (answer.statusCode() == 404
                            && noRoute.statusCode() == 404
                            && answer.body().equals(noRoute.body()))) {
                unrouted.add(operation + " -> " + answer.statusCode() + " " + answer.body());
            }
        }
        return unrouted;
    }

    /**
     * Each JAX-RS resource method of the service {@code anchor} belongs to, as
     * {@code "METHOD /path/{param}"} (regular expressions in templates dropped, as OpenAPI does).
     */
    static Set<String> resourceOperations(Class<?> anchor) {
        Set<String> operations = new TreeSet<>();
        for (Class<?> type : serviceClasses(anchor)) {
            Path classPath = type.getAnnotation(Path.class);
            // an interface with @Path is a REST client of another service, not an endpoint of this one
            if (classPath == null || type.isInterface()) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String http = httpMethod(method);
                if (http != null) {
                    Path methodPath = method.getAnnotation(Path.class);
                    operations.add(http + " " + join(classPath.value(), methodPath == null ? "" : methodPath.value()));
                }
            }
        }
        return operations;
    }

    private JsonNode operation(String operation) {
        int space = operation.indexOf(' ');
        return document.path("paths")
                .path(operation.substring(space + 1))
                .path(operation.substring(0, space).toLowerCase(Locale.ROOT));
    }

    /** Path parameters filled with values of their documented type or enumeration, so conversion never decides. */
    private String concrete(String operation) {
        String template = operation.substring(operation.indexOf(' ') + 1);
        List<JsonNode> parameters = new ArrayList<>();
        document.path("paths").path(template).path("parameters").forEach(parameters::add);
        operation(operation).path("parameters").forEach(parameters::add);
        String path = template;
        for (JsonNode parameter : parameters) {
            if ("path".equals(parameter.path("in").asText())) {
                JsonNode schema = parameter.path("schema");
                String type = schema.path("type").asText("string");
                String value = schema.has("enum")
                        ? schema.path("enum").path(0).asText()
                        : type.equals("integer") || type.equals("number")
                                ? "1"
                                : UUID.randomUUID().toString();
                path = path.replace("{" + parameter.path("name").asText() + "}", value);
            }
        }
        return path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    private HttpResponse<String> call(String method, String path, String operation) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(20));
        Iterator<String> mediaTypes =
                operation(operation).path("requestBody").path("content").fieldNames();
        if (mediaTypes.hasNext()) {
            request.header("Content-Type", mediaTypes.next());
        }
        request.method(method, HttpRequest.BodyPublishers.noBody());
        return send(request.build());
    }

    private static HttpResponse<String> get(URI uri) {
        return send(
                HttpRequest.newBuilder(uri).header("Accept", "application/json").build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String httpMethod(Method method) {
        return Stream.of(method.getAnnotations())
                .map(annotation -> annotation.annotationType().getAnnotation(HttpMethod.class))
                .filter(Objects::nonNull)
                .map(HttpMethod::value)
                .findFirst()
                .orElse(null);
    }

    private static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}");
    }

    /**
     * The service's own classes, read from its build output ({@code target/classes}: tests run in the module's
     * directory) and loaded by {@code anchor}'s class loader, which serves them from memory in a Quarkus test.
     */
    private static List<Class<?>> serviceClasses(Class<?> anchor) {
        java.nio.file.Path root = Paths.get("target", "classes");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no build output at " + root.toAbsolutePath());
        }
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file ->
                            root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .<Class<?>>map(name -> load(name, anchor.getClassLoader()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
