package dev.shoal.sequencer.api;

import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.runtime.NotReadyException;
import dev.shoal.sequencer.runtime.CommitFeed;
import dev.shoal.sequencer.runtime.NodeStatus;
import dev.shoal.sequencer.runtime.StoredHistory;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/status}: who this validator is, its committee, its lifecycle state, its
 * consensus progress and totals, and its last recovery. Always answers 200, also while the node
 * recovers or the database is down: then the parts it cannot know are null.
 */
@Path("/api/v1/status")
@Tag(name = "Node", description = "Validator identity and state")
public class StatusResource {
    private static final Logger LOG = Logger.getLogger(StatusResource.class);

    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;
    private final NodeStatus status;
    private final CommitFeed feed;
    private final StoredHistory history;

    StatusResource(NodeIdentity identity, NodeLifecycle lifecycle, NodeStatus status, CommitFeed feed, StoredHistory history) {
        this.identity = identity;
        this.lifecycle = lifecycle;
        this.status = status;
        this.feed = feed;
        this.history = history;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validator status", description = "Identity, committee, lifecycle state, consensus progress, totals and the last recovery")
    @APIResponse(responseCode = "200", description = "Current status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusView.class)))
    public Uni<StatusView> status() {
        return metadata().map(m -> StatusView.of(identity, lifecycle, m, feed.publishedIndex(), feed.firstHeldCommit(), status.recovery().orElse(null),
                status.peersConnected()));
    }

    /** The stored metadata, or null when storage is not open yet or cannot be read (status must still answer). */
    private Uni<ConsensusMetadata> metadata() {
        Uni<ConsensusMetadata> read;
        try {
            read = history.metadata();
        } catch (NotReadyException e) {
            return Uni.createFrom().nullItem();
        }
        return read.onFailure().recoverWithItem(e -> {
            LOG.debugf("status without progress: the metadata cannot be read: %s", e.getMessage());
            return null;
        });
    }
}
