package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;

/**
 * The first commit of GET /api/v1/commits/stream: the one after {@code Last-Event-ID} when a
 * reconnecting EventSource client sends it (every event's id is its commit index), else
 * {@code from}, else 1. The header wins because a client reconnects with its original URL,
 * {@code from} included. A bad value of either is an invalid parameter (400), even the one that
 * would not be used.
 */
public final class CommitStreamStart {
    /** The request header an EventSource client resumes with. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private CommitStreamStart() {}

    /**
     * @param from        the {@code from} query parameter, or null
     * @param lastEventId the {@code Last-Event-ID} header, or null; empty counts as absent (an
     *                    EventSource whose last id is empty sends none)
     */
    public static long firstIndex(String from, String lastEventId) {
        Long f = Params.optionalLong("from", from, 1, Long.MAX_VALUE);
        // Up to MAX_VALUE - 1: the stream resumes at the next index, which must exist.
        Long last = Params.optionalLong(LAST_EVENT_ID, lastEventId, 0, Long.MAX_VALUE - 1);
        if (last != null) return last + 1;
        return f == null ? 1 : f;
    }
}
