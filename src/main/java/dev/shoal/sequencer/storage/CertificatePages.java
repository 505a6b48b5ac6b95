package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams stored certificates in (round, author) order through {@link SequencerStore#certificatePage}
 * keyset pages. Blocking: for start-up work (recovery) that runs on its own thread.
 */
public final class CertificatePages {
    private CertificatePages() {}

    /**
     * Hands every stored certificate of round >= fromRound (round 0, the implicit genesis, never)
     * to pageConsumer, one page at a time.
     */
    public static void forEachFrom(SequencerStore store, long fromRound, int pageSize, Duration timeout,
                                   Consumer<List<Certificate>> pageConsumer) {
        long round = Math.max(1, fromRound) - 1;
        int author = Integer.MAX_VALUE;
        while (true) {
            List<Certificate> page = store.certificatePage(round, author, pageSize).await().atMost(timeout);
            if (page.isEmpty()) return;
            pageConsumer.accept(page);
            Certificate last = page.get(page.size() - 1);
            round = last.round();
            author = last.author();
        }
    }
}
