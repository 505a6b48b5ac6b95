package dev.shoal.sequencer.api.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a REST endpoint into an RFC 9457 {@link Problem}: a clear title and
 * detail, never a stack trace. Unexpected errors are logged here with an id the client sees.
 * This includes paths under /api/v1 that match no resource (the REST layer raises NotFoundException for them; ProblemDetailsTest guards that).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e, HttpServerRequest request) {
        return Problem.typed("invalid-parameter", "Invalid parameter", Response.Status.BAD_REQUEST,
                capitalize(e.getMessage()), request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request, ResourceInfo resource, UriInfo uri) {
        // JAX-RS reports a path or query parameter that fails conversion as 404; it is a bad request.
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method != null && e.getCause() != null) {
            return invalidParameter(ParameterDiagnosis.explain(method, request, uri, e.getCause()), request);
        }
        String detail = isDefaultMessage(e) ? "There is no resource at " + request.path() : e.getMessage();
        return Problem.of(Response.Status.NOT_FOUND, detail, request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        List<String> allowed = e.getResponse().getAllowedMethods().stream().sorted().toList();
        String detail = "Method " + request.method().name() + " is not allowed on " + request.path()
                + (allowed.isEmpty() ? "" : "; allowed: " + String.join(", ", allowed));
        Response.ResponseBuilder r = Response.status(405).type(Problem.MEDIA)
                .entity(Problem.of(Response.Status.METHOD_NOT_ALLOWED, detail, request.path()));
        if (!allowed.isEmpty()) r.header(HttpHeaders.ALLOW, String.join(", ", allowed));
        return r.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpServerRequest request) {
        String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String detail = (sent == null ? "A request body without a Content-Type" : "Content type " + sent)
                + " is not supported by " + request.method().name() + " " + request.path() + "; send application/json";
        return Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, detail, request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, HttpServerRequest request) {
        return Problem.of(Response.Status.NOT_ACCEPTABLE, "None of the accepted media types (" + request.getHeader(HttpHeaders.ACCEPT)
                + ") can be produced by " + request.path() + "; accept application/json", request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, HttpServerRequest request) {
        return malformedJson(e, request);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, HttpServerRequest request) {
        String what = e instanceof MismatchedInputException ? "The request body does not have the expected shape"
                : "The request body is not valid JSON";
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        String why = e.getOriginalMessage() == null ? "" : ": " + firstLine(e.getOriginalMessage());
        return Problem.typed("malformed-json", "Malformed JSON", Response.Status.BAD_REQUEST, what + why + where, request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) return unexpected(e, request);
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException json) return malformedJson(json, request);
        }
        String detail = isDefaultMessage(e) ? status.getReasonPhrase() + " (" + request.method().name() + " " + request.path() + ")" : e.getMessage();
        return Problem.of(status, detail, request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (databaseUnreachable(e)) {
            // A read while the database is down is not a server bug: 503, the client retries.
            return Response.status(503).type(Problem.MEDIA).header(HttpHeaders.RETRY_AFTER, 2)
                    .entity(Problem.typed("storage-unavailable", "Storage unavailable", Response.Status.SERVICE_UNAVAILABLE,
                            "The database cannot be reached right now; retry later", request.path())).build();
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "Unexpected error %s on %s %s", id, request.method().name(), request.path());
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR,
                "The server failed to handle the request; the server log has the details under error id " + id, request.path()).toResponse();
    }

    private static boolean databaseUnreachable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof io.vertx.sqlclient.ClosedConnectionException || c instanceof java.net.ConnectException) return true;
            if (c.getCause() == c) break;
        }
        return false;
    }

    /** Framework-made exceptions carry "HTTP 404 Not Found"-style messages that add nothing. */
    private static boolean isDefaultMessage(WebApplicationException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() || m.startsWith("HTTP " + e.getResponse().getStatus())
                || m.startsWith("Unable to find matching target resource method");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
