package dev.keyless.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.keyless.credential.InvalidJobCredentialException;
import dev.keyless.scheduler.pipeline.model.JobStateMachine;
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

/** Turns every failure into an RFC 9457 problem body; unexpected ones are logged here and answered opaquely. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response problem(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "Error";
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail));
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return problem(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response jobCredential(InvalidJobCredentialException e) {
        return problem(e.forbidden() ? 403 : 401, e.getMessage());
    }

    @ServerExceptionMapper
    public Response illegalTransition(JobStateMachine.IllegalJobTransitionException e) {
        return problem(409, e.getMessage());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return problem(401, "a valid admin token is required (Authorization: Bearer)");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "this token does not allow the operation");
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> fieldName(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(400, detail);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return problem(400, JsonProblems.describe(e, "JSON"));
    }

    /** Listed on its own: the REST layer has a built-in JSON (not problem) mapper for this subtype. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return problem(400, JsonProblems.describe(e, "JSON"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed");
            return problem(status, "the request could not be processed");
        }
        String detail = switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "no such resource";
            case 405 -> "method not allowed";
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "unsupported content type";
            default -> "the request was refused";
        };
        return problem(status, detail);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.errorf(e, "unexpected failure");
        return problem(500, "internal error");
    }

    /** Paths look like {@code createProject.request.vcsOrigin}: report the JSON field, {@code vcs_origin}. */
    private static String fieldName(String path) {
        String[] parts = path.split("\\.", 3);
        if (parts.length < 3) {
            return "body";
        }
        return parts[2].replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
