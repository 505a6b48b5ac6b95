package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.SequencerStore;

/** What the node does to its {@link CommitFeed} (choose the store, open, publish), for tests outside this package. */
public final class CommitFeeds {
    private CommitFeeds() {}

    public static void storeChosen(CommitFeed feed, SequencerStore store) {
        feed.storeChosen(store);
    }

    public static void opened(CommitFeed feed, long firstHeldCommit, long publishedIndex) {
        feed.opened(firstHeldCommit, publishedIndex);
    }

    public static void published(CommitFeed feed, CommitTransactions commit) {
        feed.published(commit);
    }
}
