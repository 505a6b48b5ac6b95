package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.core.types.Hex;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Test-only endpoints (src/test, so never in the application) that provoke each kind of client
 * and server error, so the problem+json mapping is tested before the real endpoints that take
 * bodies and parameters exist.
 */
@Path("/api/v1/test-probe")
public class ProblemProbeResource {

    /** A JSON body with a typed field. */
    public record Echo(String text, int count) {
    }

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Echo echo(Echo body) {
        return body;
    }

    @GET
    @Path("/items/{digest}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> item(@PathParam("digest") String digest, @QueryParam("limit") String limit) {
        byte[] d = Params.hex32("digest", digest);
        Long l = Params.optionalLong("limit", limit, 1, 1000);
        return Map.of("digest", Hex.encode(d), "limit", l == null ? 100 : l);
    }

    @GET
    @Path("/typed")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> typed(@QueryParam("n") int n) {
        return Map.of("n", n);
    }

    @GET
    @Path("/rounds/{round}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> round(@PathParam("round") long round) {
        return Map.of("round", round);
    }

    @GET
    @Path("/boom")
    @Produces(MediaType.APPLICATION_JSON)
    public String boom() {
        throw new IllegalStateException("internal detail that must not reach the client");
    }
}
