package dev.keyless.context.web;

import com.fasterxml.jackson.core.JsonProcessingException;
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

import java.util.stream.Collectors;

/** Maps every failure to an RFC 9457 body without internals (no stack trace, class name, SQL or value). */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = respond(e.toProblem());
        if (e.retryAfterSeconds() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response invalidCredential(InvalidJobCredentialException e) {
        int status = e.forbidden() ? 403 : 401;
        return respond(new Problem("about:blank", e.forbidden() ? "Forbidden" : "Unauthorized", status,
                e.getMessage(), null)).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated() {
        return respond(new Problem("about:blank", "Unauthorized", 401,
                "a valid admin token is required (Authorization: Bearer)", null)).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(new Problem("about:blank", "Forbidden", 403,
                "your token does not allow this operation", null)).build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Bad request", 400, detail, null)).build();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return respond(new Problem("about:blank", "Bad request", 400, "the request body is not valid JSON of the "
                + "expected shape", null)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("request failed with %d: %s", status, e.getClass().getSimpleName());
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "the requested media type is not available";
            case 415 -> "unsupported content type; send application/json";
            default -> status < 500 ? "the request cannot be processed" : "the service failed to process the request";
        };
        return respond(new Problem("about:blank", title, status, detail, null)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // the class name is logged for operators; the caller gets nothing internal
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return respond(new Problem("about:blank", "Internal server error", 500,
                "the service failed to process the request", null)).build();
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
