package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.api.problem.Problem;
import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.runtime.StoredHistory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The stored batches: {@code GET /api/v1/batches} (by author, optionally only those no
 * certificate references yet, oldest first) and {@code GET /api/v1/batches/{digest}} with its
 * transactions.
 */
@Path("/api/v1/batches")
@Tag(name = "Batches", description = "Stored batches of client transactions")
@Produces(MediaType.APPLICATION_JSON)
public class BatchesResource {
    private final StoredHistory history;
    private final NodeIdentity identity;
    private final SequencerConfig config;

    BatchesResource(StoredHistory history, NodeIdentity identity, SequencerConfig config) {
        this.history = history;
        this.identity = identity;
        this.config = config;
    }

    @GET
    @Operation(summary = "List batches", description = "Batch summaries, oldest first, at most limit")
    @APIResponse(responseCode = "200", description = "The matching batches",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchSummaryView[].class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse or is out of range (problem+json)")
    @APIResponse(responseCode = "503", description = "The node is starting (problem+json)")
    public Uni<List<BatchSummaryView>> list(
            @Parameter(description = "Only batches of this author (committee index)") @QueryParam("author") String author,
            @Parameter(description = "true: only batches no certificate references yet") @QueryParam("unreferenced") String unreferenced,
            @Parameter(description = "Most batches returned (1 to sequencer.api.max-page-size; default 100)") @QueryParam("limit") String limit) {
        Optional<Integer> a = Optional.ofNullable(Params.optionalLong("author", author, 0, identity.committee().size() - 1))
                .map(Long::intValue);
        boolean onlyUnreferenced = Boolean.TRUE.equals(Params.optionalBoolean("unreferenced", unreferenced));
        int max = Params.limit(limit, config.api().maxPageSize());
        return history.batches(a, onlyUnreferenced, max).map(list -> list.stream().map(BatchSummaryView::of).toList());
    }

    @GET
    @Path("/{digest}")
    @Operation(summary = "One batch", description = "The batch with this digest and its transactions in batch order")
    @APIResponse(responseCode = "200", description = "The batch",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "400", description = "The digest is not 64 hex characters (problem+json)")
    @APIResponse(responseCode = "404", description = "No such batch is stored (problem+json)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BatchView> one(@Parameter(description = "Batch digest, 64 hex characters") @PathParam("digest") String digest) {
        Digest d = Digest.of(Params.hex32("digest", digest));
        return history.batch(d).map(found -> found.map(BatchView::of)
                .orElseThrow(() -> new NotFoundException("No batch with digest " + d.toHex() + " is stored")));
    }
}
