package dev.shoal.sequencer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The page iterator recovery streams with: read-ahead, end of data and failures (the paging itself is in the store contract). */
class CertificatePagesTest {
    private static final Duration T = Duration.ofSeconds(10);
    private final StoreFixtures fx = new StoreFixtures(11);

    private InMemoryStore storeWithRounds(int rounds) {
        InMemoryStore store = new InMemoryStore();
        WriteGroup g = new WriteGroup();
        List<Certificate> prev = fx.committee.genesis();
        for (int r = 1; r <= rounds; r++) {
            prev = fx.round(r, prev);
            prev.forEach(g::certificate);
        }
        store.write(g).await().atMost(T);
        return store;
    }

    /** Counts page requests and fails the one numbered failAt (1-based; 0: never). */
    private static final class CountingStore extends DelegatingStore {
        final AtomicInteger requests = new AtomicInteger();
        final int failAt;

        CountingStore(SequencerStore delegate, int failAt) {
            super(delegate);
            this.failAt = failAt;
        }

        @Override
        public Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) {
            if (requests.incrementAndGet() == failAt) return Uni.createFrom().failure(new IllegalStateException("disk on fire"));
            return super.certificatePage(afterRound, afterAuthor, limit);
        }
    }

    @Test
    void requestsTheNextPageBeforeTheCallerTakesThisOne() {
        CountingStore store = new CountingStore(storeWithRounds(3), 0);
        Iterator<List<Certificate>> pages = CertificatePages.from(store, 1, 4, T);
        assertThat(store.requests).as("the first page is asked for at once").hasValue(1);
        assertThat(pages.hasNext()).isTrue();
        assertThat(store.requests).as("page 2 is on its way while the caller holds page 1").hasValue(2);
        assertThat(pages.next()).extracting(Certificate::round).containsOnly(1L);
        List<Long> rounds = new ArrayList<>();
        pages.forEachRemaining(p -> rounds.add(p.get(0).round()));
        assertThat(rounds).containsExactly(2L, 3L);
        assertThat(store.requests).as("three pages and the empty one that ends the data").hasValue(4);
        assertThat(pages.hasNext()).isFalse();
    }

    @Test
    void anEmptyStoreHasNoPages() {
        assertThat(CertificatePages.from(new InMemoryStore(), 1, 10, T).hasNext()).isFalse();
    }

    @Test
    void aFailedPageReadIsRethrownWhereThatPageIsAskedFor() {
        CountingStore store = new CountingStore(storeWithRounds(3), 2);
        Iterator<List<Certificate>> pages = CertificatePages.from(store, 1, 4, T);
        assertThat(pages.next()).hasSize(4);
        assertThatThrownBy(pages::hasNext).isInstanceOf(IllegalStateException.class).hasMessage("disk on fire");
    }

    @Test
    void refusesAPageSizeBelowOne() {
        assertThatThrownBy(() -> CertificatePages.from(new InMemoryStore(), 1, 0, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size");
    }
}
