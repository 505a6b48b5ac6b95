package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Certificate;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Streams stored certificates in (round, author) order through {@link SequencerStore#certificatePage}
 * keyset pages. Blocking: for start-up work (recovery) that runs on its own thread.
 *
 * <p>The next page is requested as soon as a page arrives, before the caller works on it, so the
 * store reads (and decodes) page k+1 while the caller consumes page k.
 */
public final class CertificatePages {
    private CertificatePages() {}

    /**
     * Hands every stored certificate of round >= fromRound (round 0, the implicit genesis, never)
     * to pageConsumer, one page at a time.
     */
    public static void forEachFrom(SequencerStore store, long fromRound, int pageSize, Duration timeout,
                                   Consumer<List<Certificate>> pageConsumer) {
        Iterator<List<Certificate>> pages = from(store, fromRound, pageSize, timeout);
        while (pages.hasNext()) pageConsumer.accept(pages.next());
    }

    /**
     * The non-empty pages of every stored certificate of round >= fromRound (genesis never), read
     * lazily with one page requested ahead. {@code hasNext} blocks for at most timeout per page
     * and rethrows the store's failure.
     */
    public static Iterator<List<Certificate>> from(SequencerStore store, long fromRound, int pageSize, Duration timeout) {
        if (pageSize < 1) throw new IllegalArgumentException("page size must be positive, got " + pageSize);
        return new PageIterator(store, Math.max(1, fromRound) - 1, pageSize, timeout);
    }

    private static final class PageIterator implements Iterator<List<Certificate>> {
        private final SequencerStore store;
        private final int pageSize;
        private final Duration timeout;
        private CompletableFuture<List<Certificate>> pending;
        private List<Certificate> ready;
        private boolean done;

        PageIterator(SequencerStore store, long afterRound, int pageSize, Duration timeout) {
            this.store = store;
            this.pageSize = pageSize;
            this.timeout = timeout;
            // Integer.MAX_VALUE: after every author of that round, so the first page starts at fromRound.
            this.pending = request(afterRound, Integer.MAX_VALUE);
        }

        private CompletableFuture<List<Certificate>> request(long afterRound, int afterAuthor) {
            return store.certificatePage(afterRound, afterAuthor, pageSize).subscribeAsCompletionStage();
        }

        @Override
        public boolean hasNext() {
            if (ready != null) return true;
            if (done) return false;
            List<Certificate> page = Uni.createFrom().completionStage(pending).await().atMost(timeout);
            if (page.isEmpty()) {
                done = true;
                pending = null;
                return false;
            }
            Certificate last = page.get(page.size() - 1);
            pending = request(last.round(), last.author());
            ready = page;
            return true;
        }

        @Override
        public List<Certificate> next() {
            if (!hasNext()) throw new NoSuchElementException();
            List<Certificate> page = ready;
            ready = null;
            return page;
        }
    }
}
