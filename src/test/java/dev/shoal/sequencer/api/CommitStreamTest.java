package dev.shoal.sequencer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.runtime.CommitFeed;
import dev.shoal.sequencer.runtime.CommitFeeds;
import dev.shoal.sequencer.runtime.PrunedHistoryException;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream of commits behind GET /api/v1/commits/stream, on an in-memory store: it may be
 * opened while the node is still starting (no store yet, nothing published), and must then read
 * the recovered log as soon as the node opens, and go on live.
 */
class CommitStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final StoreFixtures fx = new StoreFixtures(17);
    private final InMemoryStore store = new InMemoryStore();
    private final CommitFeed feed = new CommitFeed();

    /** Stores commits from..to, each of one certificate and no transactions, as the node would before publishing them. */
    private void storeCommits(long from, long to) {
        WriteGroup group = new WriteGroup();
        List<CommitTransactions> rows = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            Certificate c = fx.certificate(0, 2 * i, List.of(), List.of());
            group.certificate(c).commit(new CommitRecord(i, c.digest(), c.round(), 0, List.of(c.digest()), new byte[0], new byte[0],
                    List.of(), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
            rows.add(new CommitTransactions(i, 0, List.of(), List.of()));
        }
        store.write(group).await().atMost(WAIT);
        store.saveCommitTransactions(rows).await().atMost(WAIT);
    }

    private AssertSubscriber<CommitView> open(long first) {
        return new CommitStream(feed, false, first).commits().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    private static List<Long> indexes(AssertSubscriber<CommitView> s) {
        return s.getItems().stream().map(CommitView::index).toList();
    }

    @Test
    void aStreamOpenedWhileTheNodeStartsReadsTheRecoveredLogOnceItOpensThenGoesOnLive() {
        AssertSubscriber<CommitView> stream = open(2);
        stream.assertNotTerminated().assertHasNotReceivedAnyItem(); // no store yet: it waits, it does not fail

        CommitFeeds.storeChosen(feed, store);
        storeCommits(1, 3);
        CommitFeeds.opened(feed, 1, 3); // recovery done: three commits published at once, with no commit event
        stream.awaitItems(2, WAIT);
        assertThat(indexes(stream)).containsExactly(2L, 3L);

        storeCommits(4, 4);
        CommitFeeds.published(feed, new CommitTransactions(4, 0, List.of(), List.of()));
        stream.awaitItems(3, WAIT).assertNotTerminated();
        assertThat(indexes(stream)).containsExactly(2L, 3L, 4L);
    }

    @Test
    void aStreamFromBelowTheCheckpointTheNodeJoinedFromFailsOnceTheNodeKnowsItsFirstCommit() {
        AssertSubscriber<CommitView> stream = open(1);
        CommitFeeds.storeChosen(feed, store);
        storeCommits(42, 43);
        CommitFeeds.opened(feed, 42, 43);
        stream.awaitFailure(WAIT).assertFailedWith(PrunedHistoryException.class);
        assertThat(stream.getItems()).isEmpty();
    }

    @Test
    void aStreamPastTheEndWaitsForItsFirstCommit() {
        CommitFeeds.storeChosen(feed, store);
        storeCommits(1, 2);
        CommitFeeds.opened(feed, 1, 2);
        AssertSubscriber<CommitView> stream = open(4);
        storeCommits(3, 4);
        CommitFeeds.published(feed, new CommitTransactions(3, 0, List.of(), List.of()));
        CommitFeeds.published(feed, new CommitTransactions(4, 0, List.of(), List.of()));
        stream.awaitItems(1, WAIT).assertNotTerminated();
        assertThat(indexes(stream)).containsExactly(4L);
    }
}
