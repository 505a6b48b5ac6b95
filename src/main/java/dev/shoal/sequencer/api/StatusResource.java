package dev.shoal.sequencer.api;

import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/status}: who this validator is, its committee and its lifecycle state. */
@Path("/api/v1/status")
@Tag(name = "Node", description = "Validator identity and state")
public class StatusResource {
    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;

    StatusResource(NodeIdentity identity, NodeLifecycle lifecycle) {
        this.identity = identity;
        this.lifecycle = lifecycle;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validator status", description = "Identity, committee (thresholds and members) and lifecycle state of this validator")
    @APIResponse(responseCode = "200", description = "Current status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusResponse.class)))
    public StatusResponse status() {
        return StatusResponse.of(identity, lifecycle);
    }
}
