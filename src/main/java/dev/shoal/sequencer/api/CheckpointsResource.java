package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.api.problem.Problem;
import dev.shoal.sequencer.runtime.CheckpointService;
import dev.shoal.sequencer.runtime.StoredHistory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Checkpoints: the stored ones (newest first; only the last {@code sequencer.checkpoint.keep}
 * are kept) and {@code POST /api/v1/checkpoints}, which takes one now.
 */
@Path("/api/v1/checkpoints")
@Tag(name = "Checkpoints", description = "Compressed snapshots of DAG, consensus and reputation state")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointsResource {
    private final StoredHistory history;
    private final CheckpointService checkpoints;

    CheckpointsResource(StoredHistory history, CheckpointService checkpoints) {
        this.history = history;
        this.checkpoints = checkpoints;
    }

    @GET
    @Operation(summary = "List checkpoints", description = "The stored checkpoints, newest first")
    @APIResponse(responseCode = "200", description = "The stored checkpoints",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckpointView[].class)))
    @APIResponse(responseCode = "503", description = "The node is starting (problem+json)")
    public Uni<List<CheckpointView>> list() {
        return history.checkpoints().map(l -> l.stream().map(CheckpointView::of).toList());
    }

    @GET
    @Path("/latest")
    @Operation(summary = "Latest checkpoint", description = "The newest stored checkpoint")
    @APIResponse(responseCode = "200", description = "The newest checkpoint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckpointView.class)))
    @APIResponse(responseCode = "404", description = "No checkpoint has been taken yet (problem+json)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CheckpointView> latest() {
        return history.latestCheckpoint().map(found -> found.map(r -> CheckpointView.of(r.summary()))
                .orElseThrow(() -> new NotFoundException("No checkpoint has been taken yet; POST /api/v1/checkpoints takes one")));
    }

    @GET
    @Path("/{round}")
    @Operation(summary = "One checkpoint", description = "The stored checkpoint of this round")
    @APIResponse(responseCode = "200", description = "The checkpoint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckpointView.class)))
    @APIResponse(responseCode = "400", description = "The round is not a non-negative integer (problem+json)")
    @APIResponse(responseCode = "404", description = "No checkpoint of this round is stored (pruned or never taken) (problem+json)")
    public Uni<CheckpointView> byRound(@Parameter(description = "Checkpoint round") @PathParam("round") String round) {
        long r = Params.requiredLong("round", round, 0, Long.MAX_VALUE);
        // At most sequencer.checkpoint.keep are stored: filtering the listing is cheap and needs no extra query.
        return history.checkpoints().map(all -> all.stream().filter(c -> c.round() == r).findFirst()
                .map(CheckpointView::of)
                .orElseThrow(() -> new NotFoundException("No checkpoint of round " + r + " is stored (never taken, or pruned)")));
    }

    @POST
    @Operation(summary = "Take a checkpoint now", description = "Snapshots the consensus state and DAG window once they are durable, stores it, prunes old ones")
    @APIResponse(responseCode = "201", description = "Taken and stored; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckpointView.class)))
    @APIResponse(responseCode = "503", description = "Recovering, or another checkpoint is being taken (problem+json, Retry-After)")
    public Uni<Response> take() {
        return checkpoints.take().map(s -> Response.created(URI.create("/api/v1/checkpoints/" + s.round()))
                .entity(CheckpointView.of(s)).type(MediaType.APPLICATION_JSON).build());
    }
}
