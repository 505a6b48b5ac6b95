package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.runtime.CommitFeed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The commit log: {@code GET /api/v1/commits} (pages, ascending, gap-free) and
 * {@code GET /api/v1/commits/stream} (Server-Sent Events from an index on, then live, resumable with
 * {@code Last-Event-ID}). Only durable commits are ever shown, and a shown commit never changes.
 */
@Path("/api/v1/commits")
@Tag(name = "Commits")
public class CommitsResource {
    private final CommitFeed feed;
    private final SequencerConfig config;

    CommitsResource(CommitFeed feed, SequencerConfig config) {
        this.feed = feed;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Committed sub-DAGs", description = "Commits with index >= from, ascending, gap-free, at most limit")
    @APIResponse(responseCode = "200", description = "A page of the commit log (empty past its end)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommitView[].class)))
    @APIResponse(responseCode = "400", description = "from or limit does not parse or is out of range (problem+json)")
    @APIResponse(responseCode = "410", description = "The page starts at a commit whose certificates this node pruned (archive off), or below the checkpoint it joined from (problem+json)")
    @APIResponse(responseCode = "503", description = "The node is starting (problem+json)")
    public Uni<List<CommitView>> commits(
            @Parameter(description = "First commit index (default 1)") @QueryParam("from") String from,
            @Parameter(description = "Most commits returned (1 to sequencer.api.max-page-size; default 100)") @QueryParam("limit") String limit,
            @Parameter(description = PAYLOADS) @QueryParam("payloads") String payloads) {
        Long f = Params.optionalLong("from", from, 1, Long.MAX_VALUE);
        long start = f == null ? 1 : f;
        return new CommitReader(feed, withPayloads(payloads)).read(start, Params.limit(limit, config.api().maxPageSize()));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Commit stream (SSE)", description = "Every commit from index 'from' on (or after Last-Event-ID, which wins),"
            + " in order, then live as they are committed. Each commit is an unnamed event whose id is its index; the stream opens"
            + " with a retry hint and sends heartbeat comments while idle")
    @APIResponse(responseCode = "200", description = "Server-Sent Events, one commit (JSON) per event, id = its index",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = CommitView.class)))
    @APIResponse(responseCode = "400", description = "from or Last-Event-ID does not parse or is out of range (problem+json)")
    @APIResponse(responseCode = "410", description = "The stream would start at a commit whose certificates this node pruned (archive off),"
            + " or below the checkpoint it joined from (problem+json)")
    public Multi<OutboundSseEvent> stream(
            @Parameter(description = "First commit index (default 1)") @QueryParam("from") String from,
            @Parameter(description = PAYLOADS) @QueryParam("payloads") String payloads,
            @Parameter(description = "The id of the last event received (an EventSource sends it when it reconnects): the stream"
                    + " resumes at the next commit, whatever from says") @HeaderParam(CommitStreamStart.LAST_EVENT_ID) String lastEventId,
            @Context Sse sse) {
        long first = CommitStreamStart.firstIndex(from, lastEventId);
        CommitStream commits = new CommitStream(feed, withPayloads(payloads), first);
        return new CommitStreamEvents(sse, config.api().streamRetryDelay(), config.api().streamHeartbeatInterval())
                .of(first, commits.commits());
    }

    private static final String PAYLOADS = "Include each transaction's payload (default true); false lists digests only";

    private static boolean withPayloads(String raw) {
        Boolean b = Params.optionalBoolean("payloads", raw);
        return b == null || b;
    }
}
