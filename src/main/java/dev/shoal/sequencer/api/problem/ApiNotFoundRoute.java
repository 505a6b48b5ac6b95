package dev.shoal.sequencer.api.problem;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The 404 of paths under /api/v1 that match no REST resource at all. The REST layer hands such
 * requests on to the next Vert.x route instead of its exception mappers; this last route answers
 * them with a problem document rather than the framework's default page.
 */
@ApplicationScoped
public class ApiNotFoundRoute {
    static final int ORDER = Integer.MAX_VALUE - 10;

    void register(@Observes Router router) {
        router.route("/api/v1/*").order(ORDER).handler(ctx -> {
            String path = ctx.request().path();
            Problem p = Problem.of(Response.Status.NOT_FOUND, "There is no resource at " + path, path);
            ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Json.encode(p));
        });
        router.route("/api/v1").order(ORDER).handler(ctx -> {
            String path = ctx.request().path();
            Problem p = Problem.of(Response.Status.NOT_FOUND, "There is no resource at " + path + "; see /q/openapi", path);
            ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Json.encode(p));
        });
    }
}
