package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Problem;
import dev.shoal.sequencer.runtime.CommitReader;
import dev.shoal.sequencer.runtime.NotReadyException;
import dev.shoal.sequencer.runtime.PrunedHistoryException;
import dev.shoal.sequencer.runtime.SequencerNode;
import dev.shoal.sequencer.storage.SequencerStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * GET /api/v1/commits/stream from a commit a pruning node no longer holds: 410 with a problem
 * saying why, like GET /commits. Checked before the stream opens, because once the Server-Sent
 * Events response has started a failure can only end it (the client saw a bare stream reset).
 */
public class PrunedStreamStart {
    private static final String STREAM = "/api/v1/commits/stream";
    private final SequencerNode node;

    PrunedStreamStart(SequencerNode node) {
        this.node = node;
    }

    @ServerRequestFilter
    public Uni<Response> refusePrunedStart(UriInfo uri) {
        if (!STREAM.equals(uri.getPath())) return Uni.createFrom().nullItem();
        long from;
        try {
            String raw = uri.getQueryParameters().getFirst("from");
            from = raw == null || raw.isEmpty() ? 1 : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            return Uni.createFrom().nullItem(); // the resource reports the bad parameter
        }
        if (from < 1) return Uni.createFrom().nullItem();
        SequencerStore store;
        try {
            store = node.store();
        } catch (NotReadyException e) {
            return Uni.createFrom().nullItem(); // the resource reports it
        }
        return new CommitReader(store, false).read(from, 1)
                .map(page -> (Response) null)
                .onFailure(PrunedHistoryException.class).recoverWithItem(e -> Problem.typed("pruned", "History pruned",
                        Response.Status.GONE, e.getMessage(), STREAM).toResponse())
                .onFailure().recoverWithNull(); // anything else: the stream itself reports it
    }
}
