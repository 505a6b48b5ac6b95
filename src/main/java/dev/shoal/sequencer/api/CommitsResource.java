package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.config.EngineConfig;
import dev.shoal.sequencer.runtime.CommitReader;
import dev.shoal.sequencer.runtime.CommitView;
import dev.shoal.sequencer.runtime.SequencerNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The commit log: {@code GET /api/v1/commits} (pages, ascending, gap-free) and
 * {@code GET /api/v1/commits/stream} (Server-Sent Events from an index on, then live). Only
 * durable commits are ever shown, and a shown commit never changes.
 */
@Path("/api/v1/commits")
@Tag(name = "Commits")
public class CommitsResource {
    private static final int STREAM_PAGE = 100;

    private final SequencerNode node;
    private final EngineConfig config;

    CommitsResource(SequencerNode node, EngineConfig config) {
        this.node = node;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Committed sub-DAGs", description = "Commits with index >= from, ascending, gap-free, at most limit")
    public Uni<List<CommitView>> commits(@QueryParam("from") String from, @QueryParam("limit") String limit) {
        Long f = Params.optionalLong("from", from, 1, Long.MAX_VALUE);
        long start = f == null ? 1 : f;
        int max = config.api().maxPageSize();
        Long l = Params.optionalLong("limit", limit, 1, max);
        return new CommitReader(node.store()).read(start, l == null ? Math.min(100, max) : l.intValue());
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Commit stream (SSE)", description = "Every commit from index 'from' on, in order, then live as they are committed")
    public Multi<CommitView> stream(@QueryParam("from") String from) {
        Long f = Params.optionalLong("from", from, 1, Long.MAX_VALUE);
        CommitReader reader = new CommitReader(node.store());
        AtomicLong next = new AtomicLong(f == null ? 1 : f);
        // Catch up page by page from the store; then, whenever a commit is published, read what is new.
        // Reading from the store each time keeps the stream gap-free even if a wake-up is missed.
        // A slow client keeps only the latest wake-up: one drain reads everything new anyway.
        Multi<Long> live = node.publishedIndexes().onOverflow().dropPreviousItems();
        Multi<Long> wakeUps = Multi.createBy().concatenating().streams(Multi.createFrom().item(0L), live);
        return wakeUps.onItem().transformToMultiAndConcatenate(ignored -> drain(reader, next));
    }

    private Multi<CommitView> drain(CommitReader reader, AtomicLong next) {
        return Multi.createBy().repeating()
                .uni(() -> reader.read(next.get(), STREAM_PAGE))
                .whilst(page -> page.size() == STREAM_PAGE)
                .onItem().transformToIterable(page -> page)
                .filter(c -> c.index() == next.get())
                .invoke(c -> next.incrementAndGet());
    }
}
