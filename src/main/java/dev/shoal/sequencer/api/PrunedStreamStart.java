package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.InvalidParameterException;
import dev.shoal.sequencer.api.problem.EngineProblemMappers;
import dev.shoal.sequencer.runtime.PrunedHistoryException;
import dev.shoal.sequencer.runtime.CommitFeed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * GET /api/v1/commits/stream from a commit a pruning node no longer holds (asked with {@code from},
 * or resumed after {@code Last-Event-ID}): 410 with a problem saying why, like GET /commits.
 * Checked before the stream opens, because once the Server-Sent Events response has started a
 * failure can only end it (the client saw a bare stream reset).
 */
public class PrunedStreamStart {
    private static final String STREAM = "/api/v1/commits/stream";
    private final CommitFeed feed;

    PrunedStreamStart(CommitFeed feed) {
        this.feed = feed;
    }

    @ServerRequestFilter
    public Uni<Response> refusePrunedStart(UriInfo uri, HttpHeaders headers) {
        if (!STREAM.equals(uri.getPath())) return Uni.createFrom().nullItem();
        // Still starting: where the log starts is not known yet, and the stream waits for the node
        // rather than refuse (an EventSource gives up for good on any answer but 200).
        if (!feed.isOpen()) return Uni.createFrom().nullItem();
        long first;
        try {
            first = CommitStreamStart.firstIndex(uri.getQueryParameters().getFirst("from"),
                    headers.getHeaderString(CommitStreamStart.LAST_EVENT_ID));
        } catch (InvalidParameterException e) {
            return Uni.createFrom().nullItem(); // the resource reports it
        }
        return new CommitReader(feed, false).checkReadable(first)
                .map(ok -> (Response) null)
                .onFailure(PrunedHistoryException.class)
                .recoverWithItem(e -> EngineProblemMappers.pruned((PrunedHistoryException) e, STREAM))
                .onFailure().recoverWithNull(); // anything else: the stream itself reports it
    }
}
