package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.InvalidParameterException;
import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.api.problem.EngineProblemMappers;
import dev.shoal.sequencer.runtime.NotReadyException;
import dev.shoal.sequencer.runtime.PrunedHistoryException;
import dev.shoal.sequencer.runtime.CommitFeed;
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
    private final CommitFeed feed;

    PrunedStreamStart(CommitFeed feed) {
        this.feed = feed;
    }

    @ServerRequestFilter
    public Uni<Response> refusePrunedStart(UriInfo uri) {
        if (!STREAM.equals(uri.getPath())) return Uni.createFrom().nullItem();
        Long from;
        CommitReader reader;
        try {
            from = Params.optionalLong("from", uri.getQueryParameters().getFirst("from"), 1, Long.MAX_VALUE);
            reader = new CommitReader(feed, false);
        } catch (InvalidParameterException | NotReadyException e) {
            return Uni.createFrom().nullItem(); // the resource reports it
        }
        return reader.checkReadable(from == null ? 1 : from)
                .map(ok -> (Response) null)
                .onFailure(PrunedHistoryException.class)
                .recoverWithItem(e -> EngineProblemMappers.pruned((PrunedHistoryException) e, STREAM))
                .onFailure().recoverWithNull(); // anything else: the stream itself reports it
    }
}
