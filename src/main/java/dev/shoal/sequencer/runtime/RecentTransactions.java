package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.recovery.RecoveredNode;
import dev.shoal.sequencer.storage.CertificatePages;
import dev.shoal.sequencer.storage.SequencerStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The transactions of this validator's recent durable batches, read after recovery to seed the
 * mempool's dedup window. A client that got no answer because the node crashed sends its
 * transactions again; without this, those already durable before the crash would be packed and
 * committed a second time.
 */
final class RecentTransactions {
    /** How far back (rounds before the highest recovered one) resubmitted transactions are recognised. */
    static final long RESUBMISSION_ROUNDS = 1_000;
    private static final int PAGE = 1_000;

    private RecentTransactions() {}

    /**
     * Digests of the transactions in our durable batches of the last {@link #RESUBMISSION_ROUNDS}
     * rounds (certified, in our own headers, or not yet proposed), the newest {@code window} of them.
     */
    static Result read(SequencerStore store, int self, RecoveredNode recovered, int window, Duration timeout) {
        long from = Math.max(0, recovered.result().highestRound() - RESUBMISSION_ROUNDS);
        Set<Digest> batches = new LinkedHashSet<>();
        CertificatePages.forEachFrom(store, from, PAGE, timeout, page -> {
            for (var c : page) if (c.author() == self) batches.addAll(c.header().batchDigests());
        });
        for (var h : store.ownHeaders(from).await().atMost(timeout)) batches.addAll(h.batchDigests());
        batches.addAll(recovered.unproposedBatches());
        ArrayDeque<Digest> txs = new ArrayDeque<>();
        List<Digest> all = List.copyOf(batches);
        for (int i = 0; i < all.size(); i += PAGE) {
            for (var stored : store.batchesByDigest(all.subList(i, Math.min(all.size(), i + PAGE))).await().atMost(timeout)) {
                for (var t : stored.batch().transactions()) {
                    txs.addLast(t.digest());
                    if (txs.size() > window) txs.removeFirst();
                }
            }
        }
        return new Result(List.copyOf(txs), all.size());
    }

    record Result(List<Digest> transactions, int batches) {}
}
