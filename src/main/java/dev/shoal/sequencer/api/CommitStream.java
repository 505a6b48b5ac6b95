package dev.shoal.sequencer.api;

import dev.shoal.sequencer.runtime.CommitFeed;
import io.smallrye.mutiny.Multi;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The published commits from one index on, in order and gap-free, then live: what one
 * GET /api/v1/commits/stream sends. It catches up page by page from the store, then reads again
 * whenever the feed says a commit was published (or the node opened). Reading from the store each
 * time keeps it gap-free even if a wake-up is missed; a slow client only delays itself.
 */
public final class CommitStream {
    // Commits read per store query while the stream catches up: small, because a busy commit holds
    // thousands of transactions and a page is built in memory before it is written.
    private static final int PAGE = 10;

    private final CommitFeed feed;
    private final boolean payloads;
    private final AtomicLong next;

    public CommitStream(CommitFeed feed, boolean payloads, long first) {
        this.feed = feed;
        this.payloads = payloads;
        this.next = new AtomicLong(first);
    }

    /** The commits; subscribe once. */
    public Multi<CommitView> commits() {
        // A slow client keeps only the latest wake-up: one drain reads everything new anyway.
        Multi<Long> live = feed.publishedIndexes().onOverflow().dropPreviousItems();
        // Merged, not concatenated: the feed is subscribed before the first drain reads the published
        // end, so a commit published during that drain still wakes the stream.
        Multi<Long> wakeUps = Multi.createBy().merging().streams(Multi.createFrom().item(0L), live);
        return wakeUps.onItem().transformToMultiAndConcatenate(ignored -> drain());
    }

    private Multi<CommitView> drain() {
        // Nothing new, or the node is still starting (no store, nothing published): wait for the next wake-up.
        if (next.get() > feed.publishedIndex()) return Multi.createFrom().empty();
        // A reader per drain sees the store and the first held commit as they are now, not as they
        // were when the stream opened during start-up.
        CommitReader reader = new CommitReader(feed, payloads);
        return Multi.createBy().repeating()
                .uni(() -> reader.read(next.get(), PAGE))
                .whilst(page -> page.size() == PAGE)
                .onItem().transformToIterable(page -> page)
                .filter(c -> c.index() == next.get())
                .invoke(c -> next.incrementAndGet());
    }
}
