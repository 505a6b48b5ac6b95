package dev.shoal.sequencer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The published end of the commit log: it only moves forward, wakes streams in order, and has no store before one is chosen. */
class CommitFeedTest {
    private final CommitFeed feed = new CommitFeed();

    private static CommitTransactions commit(long index) {
        return new CommitTransactions(index, 0, List.of(), List.of());
    }

    @Test
    void thePublishedIndexOnlyGrows() {
        assertThat(feed.publishedIndex()).isZero();
        feed.opened(1, 4);
        assertThat(feed.publishedIndex()).isEqualTo(4);
        feed.published(commit(7));
        feed.published(commit(5)); // a late, lower one must not move the end back
        assertThat(feed.publishedIndex()).isEqualTo(7);
        feed.opened(1, 6);
        assertThat(feed.publishedIndex()).isEqualTo(7);
    }

    @Test
    void streamsAreWokenForEachPublishedCommitInOrder() {
        List<Long> woken = new CopyOnWriteArrayList<>();
        feed.publishedIndexes().subscribe().with(woken::add);
        feed.published(commit(1));
        feed.published(commit(2));
        feed.published(commit(3));
        assertThat(woken).containsExactly(1L, 2L, 3L);
    }

    @Test
    void openingWakesStreamsThatWaitedForTheRecoveredLog() {
        List<Long> woken = new CopyOnWriteArrayList<>();
        feed.publishedIndexes().subscribe().with(woken::add);
        assertThat(feed.isOpen()).isFalse();
        feed.opened(1, 9); // recovery found nine commits: a stream opened during start-up must read them now
        assertThat(feed.isOpen()).isTrue();
        assertThat(woken).containsExactly(9L);
    }

    @Test
    void theStoreIsNotReadyUntilChosen() {
        assertThatThrownBy(feed::store).isInstanceOf(NotReadyException.class);
        InMemoryStore store = new InMemoryStore();
        feed.storeChosen(store);
        assertThat(feed.store()).isSameAs(store);
    }

    @Test
    void theFirstHeldCommitIsOneUntilOpenedSaysOtherwise() {
        assertThat(feed.firstHeldCommit()).isEqualTo(1);
        feed.opened(42, 41); // joined from a peer's checkpoint at commit 41
        assertThat(feed.firstHeldCommit()).isEqualTo(42);
    }
}
