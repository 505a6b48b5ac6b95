package dev.shoal.sequencer.api;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;

/**
 * Turns a stream of commits into the Server-Sent Events of GET /api/v1/commits/stream:
 * <ul>
 *   <li>first a block with the {@code retry} hint and {@code id} = the index the stream starts
 *       after, so a client cut before the first commit still resumes where it asked to start;</li>
 *   <li>each commit as an unnamed event (EventSource {@code onmessage} gets it), {@code id} = its
 *       index, its JSON the data;</li>
 *   <li>a {@code : heartbeat} comment every heartbeat interval, so proxies keep an idle stream open.</li>
 * </ul>
 */
public final class CommitStreamEvents {
    private final Sse sse;
    private final Duration retryDelay;
    private final Duration heartbeatInterval;

    public CommitStreamEvents(Sse sse, Duration retryDelay, Duration heartbeatInterval) {
        checkSettings(retryDelay, heartbeatInterval);
        this.sse = sse;
        this.retryDelay = retryDelay;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** Refuses settings no stream could use; checked at start-up too ({@link StreamSettingsCheck}). */
    static void checkSettings(Duration retryDelay, Duration heartbeatInterval) {
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("sequencer.api.stream-retry-delay must not be negative (is " + retryDelay + ")");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("sequencer.api.stream-heartbeat-interval must be positive (is " + heartbeatInterval + ")");
        }
    }

    /** The events of a stream whose first commit is {@code first}. */
    public Multi<OutboundSseEvent> of(long first, Multi<CommitView> commits) {
        Multi<OutboundSseEvent> opening = Multi.createFrom().item(() -> sse.newEventBuilder()
                .comment(" commits from " + first) // a builder needs a comment or data; the space makes it ": commits from N"
                .id(Long.toString(first - 1))
                .reconnectDelay(retryDelay.toMillis())
                .build());
        // Ticks nobody has asked for yet (a slow client) are dropped, not queued: one heartbeat is as good as many.
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().startingAfter(heartbeatInterval).every(heartbeatInterval)
                .onOverflow().drop()
                .map(tick -> sse.newEventBuilder().comment(" heartbeat").build());
        Multi<OutboundSseEvent> events = commits.map(this::event);
        // One commit asked at a time, as the client takes them: the merge must not read ahead of a slow client.
        Multi<OutboundSseEvent> live = Multi.createBy().merging().withRequests(1).streams(events, heartbeats);
        return Multi.createBy().concatenating().streams(opening, live);
    }

    private OutboundSseEvent event(CommitView commit) {
        return sse.newEventBuilder().id(Long.toString(commit.index())).data(CommitView.class, commit).build();
    }
}
