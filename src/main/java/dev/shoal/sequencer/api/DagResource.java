package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.runtime.DagExplorer;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/dag}: the last rounds of the live DAG as this node holds them in memory, for
 * the explorer page (/explorer/). Read from the consensus loop's state, not from the database.
 */
@Path("/api/v1/dag")
@Tag(name = "Node", description = "Validator identity and state")
@Produces(MediaType.APPLICATION_JSON)
public class DagResource {
    /** Most rounds one window holds: the page draws a window, never the history. */
    static final int MAX_ROUNDS = 200;
    static final int DEFAULT_ROUNDS = 30;

    private final DagExplorer explorer;

    DagResource(DagExplorer explorer) {
        this.explorer = explorer;
    }

    @GET
    @Operation(summary = "Recent DAG window", description = "The last rounds of the in-memory DAG: certificates with their parents' authors,"
            + " anchor slots (committed, skipped, pending) and leader reputation")
    @APIResponse(responseCode = "200", description = "The window",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DagWindowView.class)))
    @APIResponse(responseCode = "400", description = "rounds does not parse or is out of range (problem+json)")
    @APIResponse(responseCode = "503", description = "The node is recovering (problem+json)")
    public Uni<DagWindowView> window(
            @Parameter(description = "Rounds to show, ending at the highest (1 to " + MAX_ROUNDS + "; default " + DEFAULT_ROUNDS + ")")
            @QueryParam("rounds") String rounds) {
        Long n = Params.optionalLong("rounds", rounds, 1, MAX_ROUNDS);
        return explorer.window(n == null ? DEFAULT_ROUNDS : n.intValue()).map(DagWindowView::of);
    }
}
