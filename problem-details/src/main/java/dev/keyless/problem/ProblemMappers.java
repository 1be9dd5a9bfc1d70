package dev.keyless.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.keyless.credential.InvalidJobCredentialException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns every failure into an RFC 9457 problem body without internals. Unexpected failures are logged by class
 * name and throwing frame only: a message could hold a secret value or a token.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = respond(e.toProblem());
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response jobCredential(InvalidJobCredentialException e) {
        return respond(Problem.of(e.forbidden() ? 403 : 401, e.getMessage())).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated() {
        return respond(Problem.of(401, "a valid admin token is required (Authorization: Bearer)"))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "this token does not allow the operation"))
                .build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> fieldName(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(Problem.of(400, detail.isEmpty() ? "the request is invalid" : detail))
                .build();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return respond(Problem.of(400, JsonProblems.describe(e, "JSON"))).build();
    }

    /** Listed on its own: the REST layer has a built-in JSON (not problem) mapper for this subtype. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return respond(Problem.of(400, JsonProblems.describe(e, "JSON"))).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("request failed with %d: %s", status, e.getClass().getName());
            return respond(Problem.of(status, "the request could not be processed"))
                    .build();
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return respond(Problem.of(400, JsonProblems.describe(json, "JSON"))).build();
        }
        String detail =
                switch (status) {
                    case 400 -> "the request body is not valid JSON of the expected shape";
                    case 404 -> "no such resource";
                    case 405 -> "method not allowed on this resource";
                    case 406 -> "none of the accepted media types can be produced";
                    case 415 -> "unsupported content type; send application/json";
                    default -> "the request was refused";
                };
        return respond(Problem.of(status, detail)).build();
    }

    /** Last resort; a low priority lets a service map a specific Throwable of its own. */
    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.errorf("unexpected failure: %s at %s", e.getClass().getName(), origin(e));
        return respond(Problem.of(500, "internal error")).build();
    }

    /**
     * Where the root cause was thrown, and the first frame of our own code on its way: frames locate the bug and,
     * unlike a message, hold no data. The cause chain is followed a bounded number of steps, since it may loop.
     */
    static String origin(Throwable e) {
        Throwable root = e;
        for (int depth = 0; depth < 16 && root.getCause() != null; depth++) {
            root = root.getCause();
        }
        StackTraceElement[] frames = root.getStackTrace();
        StringBuilder origin = new StringBuilder(frames.length == 0 ? "an unknown frame" : frames[0].toString());
        Arrays.stream(frames)
                .skip(1)
                .filter(frame -> frame.getClassName().startsWith("dev.keyless."))
                .findFirst()
                .ifPresent(own -> origin.append(" via ").append(own));
        if (root != e) {
            origin.append(" (cause ").append(root.getClass().getName()).append(')');
        }
        return origin.toString();
    }

    /** Every 401 names the scheme it expects (RFC 9110). */
    private static Response.ResponseBuilder respond(Problem problem) {
        Response.ResponseBuilder builder =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder;
    }

    /**
     * Paths look like {@code createProject.request.vcsOrigin} (a body field) or {@code list.limit} (a parameter):
     * report what the caller sent, {@code vcs_origin} or {@code limit}.
     */
    private static String fieldName(String path) {
        String[] parts = path.split("\\.", 3);
        String field = parts[parts.length - 1];
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
