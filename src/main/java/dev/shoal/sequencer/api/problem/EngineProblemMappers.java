package dev.shoal.sequencer.api.problem;

import dev.shoal.sequencer.runtime.NotReadyException;
import dev.shoal.sequencer.runtime.PrunedHistoryException;
import dev.shoal.sequencer.worker.MempoolFullException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Problems of the sequencing engine: not ready (recovering, storage down) and overload, both 503 with
 * Retry-After; history this node pruned, 410.
 */
public class EngineProblemMappers {

    @ServerExceptionMapper
    public Response notReady(NotReadyException e, HttpServerRequest request) {
        return notReady(e, request.path());
    }

    @ServerExceptionMapper
    public Response mempoolFull(MempoolFullException e, HttpServerRequest request) {
        return overloaded(e, request.path());
    }

    /** The 503 for a node that is not ready (also used before a request body is read). */
    public static Response notReady(NotReadyException e, String path) {
        return unavailable("not-ready", "Node not ready", e.getMessage(), path, 2);
    }

    /** The 503 for an overloaded node (also used before a request body is read). */
    public static Response overloaded(MempoolFullException e, String path) {
        return unavailable("overloaded", "Node overloaded", e.getMessage(), path, 1);
    }

    @ServerExceptionMapper
    public Response pruned(PrunedHistoryException e, HttpServerRequest request) {
        return pruned(e, request.path());
    }

    /** The 410 for history this node does not hold (also used before a stream opens). */
    public static Response pruned(PrunedHistoryException e, String path) {
        return Problem.typed("pruned", "History pruned", Response.Status.GONE, e.getMessage(), path).toResponse();
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestProblem e, HttpServerRequest request) {
        return Problem.typed("invalid-request", "Invalid request", Response.Status.BAD_REQUEST, e.getMessage(), request.path()).toResponse();
    }

    private static Response unavailable(String slug, String title, String detail, String path, int retryAfter) {
        return Response.status(503).type(Problem.MEDIA).header(HttpHeaders.RETRY_AFTER, retryAfter)
                .entity(Problem.typed(slug, title, Response.Status.SERVICE_UNAVAILABLE, detail, path)).build();
    }
}
