package dev.shoal.sequencer.output;

import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.CommitTransactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The transaction window right after one commit, as it travels to a validator that joins from a
 * peer's checkpoint: without it, that validator would output again a transaction the others leave
 * out. The entries are the last (at most window-capacity) output transactions, oldest first, at
 * positions {@code outputEnd - entries.size() + 1 .. outputEnd}. Peers vouch for it together with
 * the consensus state ({@link #vouchedDigest}), so one peer's copy is checked by f+1 others.
 *
 * @param commitIndex the commit the window is taken after
 * @param outputEnd   transactions output up to and including that commit
 * @param entries     the window, oldest first
 */
public record WindowSnapshot(long commitIndex, long outputEnd, List<Entry> entries) {
    /** One output transaction and the commit that output it. */
    public record Entry(long commitIndex, Digest digest) {}

    public WindowSnapshot {
        entries = List.copyOf(entries);
        if (commitIndex < 1) throw new IllegalArgumentException("commit index starts at 1, got " + commitIndex);
        if (entries.size() > outputEnd) throw new IllegalArgumentException("more entries than transactions output");
        long previous = 0;
        for (Entry e : entries) {
            if (e.commitIndex() < previous || e.commitIndex() > commitIndex) {
                throw new IllegalArgumentException("window entries out of commit order at commit " + e.commitIndex());
            }
            previous = e.commitIndex();
        }
    }

    /**
     * The window after commit {@code commitIndex} of {@code capacity} transactions, from stored rows
     * (ascending, ending at that commit, reaching back over the window); empty when the rows do not
     * end at the commit or do not reach back far enough (this log starts later).
     */
    public static Optional<WindowSnapshot> of(List<CommitTransactions> rows, long commitIndex, int capacity) {
        if (rows.isEmpty() || rows.get(rows.size() - 1).commitIndex() != commitIndex) return Optional.empty();
        long end = rows.get(rows.size() - 1).outputEnd();
        long keepAbove = Math.max(0, end - capacity);
        CommitTransactions first = rows.get(0);
        if (first.outputEnd() - first.output().size() > keepAbove) return Optional.empty();
        List<Entry> entries = new ArrayList<>((int) (end - keepAbove));
        for (CommitTransactions r : rows) {
            long position = r.outputEnd() - r.output().size();
            for (Digest d : r.output()) {
                if (++position > keepAbove) entries.add(new Entry(r.commitIndex(), d));
            }
        }
        return Optional.of(new WindowSnapshot(commitIndex, end, entries));
    }

    /** The position of the first entry (1 for the first transaction ever output). */
    public long firstPosition() {
        return outputEnd - entries.size() + 1;
    }

    /** At most {@code max} entries from position {@code from} on (from the window's start when below it). */
    public List<Entry> entriesFrom(long from, int max) {
        int skip = (int) Math.min(entries.size(), Math.max(0, from - firstPosition()));
        return entries.subList(skip, (int) Math.min(entries.size(), (long) skip + max));
    }

    /** Canonical digest of the window. */
    public Digest digest() {
        CanonicalWriter w = new CanonicalWriter();
        w.u64(commitIndex).u64(outputEnd);
        w.list(entries, (x, e) -> {
            x.u64(e.commitIndex());
            e.digest().encode(x);
        });
        return Digest.sha256("shoal.transaction-window", w.toByteArray());
    }

    /** What peers vouch for when a validator joins: the consensus state after the commit and this window. */
    public Digest vouchedDigest(Digest consensusState) {
        CanonicalWriter w = new CanonicalWriter();
        consensusState.encode(w);
        digest().encode(w);
        return Digest.sha256("shoal.join-state", w.toByteArray());
    }

    /**
     * Rows that make this window the store's tail: one per commit that has entries (its output
     * truncated to the window; skipped listings are not carried), and always one for the commit
     * itself, so the indexer resumes right after it.
     */
    public List<CommitTransactions> rows() {
        List<CommitTransactions> out = new ArrayList<>();
        long position = firstPosition() - 1;
        int i = 0;
        while (i < entries.size()) {
            long commit = entries.get(i).commitIndex();
            List<Digest> output = new ArrayList<>();
            while (i < entries.size() && entries.get(i).commitIndex() == commit) {
                output.add(entries.get(i++).digest());
                position++;
            }
            out.add(new CommitTransactions(commit, position, output, List.of()));
        }
        if (out.isEmpty() || out.get(out.size() - 1).commitIndex() != commitIndex) {
            out.add(new CommitTransactions(commitIndex, outputEnd, List.of(), List.of()));
        }
        return out;
    }
}
