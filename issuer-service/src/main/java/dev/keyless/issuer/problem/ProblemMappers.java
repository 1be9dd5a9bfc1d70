package dev.keyless.issuer.problem;

import dev.keyless.credential.InvalidJobCredentialException;
import dev.keyless.issuer.key.service.KeyNotFoundException;
import dev.keyless.issuer.key.service.KeyRingUnavailableException;
import dev.keyless.issuer.key.service.RotationPendingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to an RFC 9457 problem body; nothing internal (class, stack, SQL) reaches the caller. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = respond(e.status(), e.title(), e.getMessage());
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response jobCredential(InvalidJobCredentialException e) {
        return e.forbidden() ? respond(403, "Forbidden", e.getMessage()).build()
                : respond(401, "Unauthorized", e.getMessage()).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated() {
        return respond(401, "Unauthorized", "a valid admin token is required").header("WWW-Authenticate", "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(403, "Forbidden", "the caller may not do this").build();
    }

    @ServerExceptionMapper
    public Response keyNotFound(KeyNotFoundException e) {
        return respond(404, "Not Found", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response rotationPending(RotationPendingException e) {
        return respond(409, "Conflict", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response ringUnavailable(KeyRingUnavailableException e) {
        return respond(503, "Service Unavailable", "no signing key is available yet").header("Retry-After", "2").build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted().reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return respond(400, "Bad Request", detail).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("request failed: %s", e.getClass().getSimpleName());
            return respond(500, "Internal Server Error", "the request could not be completed").build();
        }
        String detail = status == 400 ? "the request body is not valid JSON of the expected shape"
                : status == 404 ? "no such resource"
                : status == 405 ? "method not allowed"
                : status == 415 ? "unsupported media type"
                : status == 406 ? "not acceptable" : "the request was refused";
        return respond(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), detail).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return respond(500, "Internal Server Error", "the request could not be completed").build();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static Response.ResponseBuilder respond(int status, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, title, detail));
    }
}
