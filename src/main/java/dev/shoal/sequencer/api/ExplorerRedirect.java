package dev.shoal.sequencer.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The service's root and {@code /explorer} lead to the DAG explorer page, which Quarkus serves as a
 * static resource at {@code /explorer/} (src/main/resources/META-INF/resources/explorer).
 */
@Path("/")
public class ExplorerRedirect {
    static final URI PAGE = URI.create("/explorer/");

    @GET
    @Operation(hidden = true)
    public Response root() {
        return Response.seeOther(PAGE).build();
    }

    @GET
    @Path("explorer")
    @Operation(hidden = true)
    public Response explorer() {
        return Response.seeOther(PAGE).build();
    }
}
