package dev.shoal.sequencer.output;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.storage.CommitTransactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transaction-level exactly-once rule, a pure function of the committed prefix: a commit
 * outputs the transactions of its output batches in order, except each one the window holds (the
 * committed output carried it within the last {@link TransactionWindow#capacity()} transactions,
 * or this commit already did). Every honest validator applies it to the same commits from the
 * same window, so all output the same transactions; any recovery resumes from the stored rows.
 * Not thread-safe: one indexer owns it.
 */
public final class TransactionOutput {
    private final TransactionWindow window;
    private long outputEnd;
    private long lastCommit;

    /** @param rows the stored rows that reach into the window (ascending), empty for a new log */
    public TransactionOutput(TransactionWindow window, List<CommitTransactions> rows) {
        this.window = window;
        if (rows.isEmpty()) return;
        CommitTransactions last = rows.get(rows.size() - 1);
        long keepAbove = last.outputEnd() - window.capacity();
        for (CommitTransactions r : rows) {
            long position = r.outputEnd() - r.output().size();
            for (Digest d : r.output()) {
                if (++position > keepAbove) window.add(d, r.commitIndex());
            }
        }
        outputEnd = last.outputEnd();
        lastCommit = last.commitIndex();
    }

    /** The last commit decided (0 before the first). */
    public long lastCommit() {
        return lastCommit;
    }

    /** Transactions output up to the last commit decided. */
    public long outputEnd() {
        return outputEnd;
    }

    /**
     * Decides commit {@code commitIndex}, the next one, from its output batches in order.
     *
     * @param batches every output batch by digest (the store holds each: a certificate enters the
     *                DAG only once its batches are durable)
     */
    public CommitTransactions decide(long commitIndex, List<Digest> outputBatches, Map<Digest, Batch> batches) {
        if (lastCommit != 0 && commitIndex != lastCommit + 1) {
            throw new IllegalStateException("commit " + commitIndex + " decided after commit " + lastCommit);
        }
        List<Digest> output = new ArrayList<>();
        List<Digest> skipped = new ArrayList<>(0);
        for (Digest bd : outputBatches) {
            Batch b = batches.get(bd);
            if (b == null) throw new IllegalStateException("commit " + commitIndex + " outputs batch " + bd + " that is not stored here");
            for (Transaction t : b.transactions()) {
                Digest d = t.digest();
                if (window.contains(d)) {
                    skipped.add(d);
                } else {
                    window.add(d, commitIndex);
                    output.add(d);
                }
            }
        }
        outputEnd += output.size();
        lastCommit = commitIndex;
        return new CommitTransactions(commitIndex, outputEnd, output, skipped);
    }
}
