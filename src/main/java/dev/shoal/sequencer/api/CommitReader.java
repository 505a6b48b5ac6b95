package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.runtime.CommitFeed;
import dev.shoal.sequencer.runtime.PrunedHistoryException;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Reads the durable commit log and resolves each commit's transactions: those transaction-level
 * exactly-once output decided for it ({@link CommitTransactions}), in order, with their payloads
 * from the commit's output batches. Only published commits are read: a commit is published once
 * its transactions are decided and durable.
 */
public final class CommitReader {
    private final SequencerStore store;
    private final boolean payloads;
    private final long firstHeld;
    private final LongSupplier published;

    /**
     * @param payloads whether each transaction carries its payload (base64); without it only its
     *                 digest, which keeps a follower that only matches digests cheap for both sides
     */
    public CommitReader(CommitFeed feed, boolean payloads) {
        this.store = feed.store();
        this.payloads = payloads;
        // Above 1 when the validator joined from a peer's checkpoint: reads from below fail with PrunedHistoryException.
        this.firstHeld = feed.firstHeldCommit();
        this.published = feed::publishedIndex;
    }

    /**
     * Fails with {@link PrunedHistoryException} when commit {@code index} is below the first held
     * one, or in the log but its certificates were pruned; completes otherwise (also past the log's
     * end). Reads no batches.
     */
    public Uni<Void> checkReadable(long index) {
        if (index < firstHeld) return Uni.createFrom().failure(PrunedHistoryException.notHeld(index, firstHeld));
        return store.commits(index, 1).chain(records -> {
            if (records.isEmpty()) return Uni.createFrom().voidItem();
            // The log starts above the index: pruning deleted the commit with its certificates.
            if (records.get(0).index() > index) throw new PrunedHistoryException(index);
            List<Digest> named = records.get(0).certificateDigests();
            return store.certificatesByDigest(named).invoke(found -> {
                if (found.size() < named.size()) throw new PrunedHistoryException(index);
            }).replaceWithVoid();
        });
    }

    /** Published commits with index >= from, ascending, at most limit. */
    public Uni<List<CommitView>> read(long from, int limit) {
        if (from < firstHeld) return Uni.createFrom().failure(PrunedHistoryException.notHeld(from, firstHeld));
        long last = published.getAsLong();
        if (from > last) return Uni.createFrom().item(List.of());
        int n = (int) Math.min(limit, last - from + 1);
        return store.commits(from, n).chain(records -> {
            if (!records.isEmpty() && records.get(0).index() > from) throw new PrunedHistoryException(from);
            return store.commitTransactions(from, n).chain(rows -> resolve(records, rows));
        });
    }

    private Uni<List<CommitView>> resolve(List<CommitRecord> records, List<CommitTransactions> rows) {
        if (records.isEmpty()) return Uni.createFrom().item(List.of());
        Map<Long, CommitTransactions> rowByIndex = new HashMap<>();
        for (CommitTransactions t : rows) rowByIndex.put(t.commitIndex(), t);
        List<Digest> certDigests = new ArrayList<>();
        for (CommitRecord r : records) certDigests.addAll(r.certificateDigests());
        return store.certificatesByDigest(certDigests).chain(certs -> {
            Map<Digest, Certificate> byDigest = new HashMap<>();
            List<Digest> batchDigests = new ArrayList<>();
            for (StoredCertificate s : certs) {
                byDigest.put(s.certificate().digest(), s.certificate());
                batchDigests.addAll(s.certificate().header().batchDigests());
            }
            Uni<List<StoredBatch>> batches = payloads ? store.batchesByDigest(batchDigests) : Uni.createFrom().item(List.of());
            return batches.map(stored -> {
                Map<Digest, Batch> batchByDigest = new HashMap<>();
                for (StoredBatch b : stored) batchByDigest.put(b.digest(), b.batch());
                List<CommitView> out = new ArrayList<>(records.size());
                for (CommitRecord r : records) out.add(view(r, rowByIndex.get(r.index()), byDigest, batchByDigest));
                return out;
            });
        });
    }

    private CommitView view(CommitRecord r, CommitTransactions row, Map<Digest, Certificate> certs, Map<Digest, Batch> batches) {
        // Published commits have their row: it is written before the commit is published.
        if (row == null) throw new IllegalStateException("commit " + r.index() + " is published but its transactions are not stored");
        List<Digest> listed = new ArrayList<>();
        for (Digest d : r.certificateDigests()) {
            Certificate c = certs.get(d);
            // Certificates are durable before the commit that names them, so only pruning removes them.
            if (c == null) throw new PrunedHistoryException(r.index());
            listed.addAll(c.header().batchDigests());
        }
        List<Digest> output = r.outputBatches() != null ? r.outputBatches() : List.copyOf(new java.util.LinkedHashSet<>(listed));
        Map<Digest, Transaction> payloadOf = new HashMap<>();
        if (payloads) {
            for (Digest bd : output) {
                Batch b = batches.get(bd);
                // A certificate enters the DAG only once its batches are durable here, and pruning removes
                // a certificate with its batches: a missing batch is a broken store, said, never skipped.
                if (b == null) throw new IllegalStateException("commit " + r.index() + " names batch " + bd + " that is not stored here");
                for (Transaction t : b.transactions()) payloadOf.putIfAbsent(t.digest(), t);
            }
        }
        Base64.Encoder b64 = Base64.getEncoder();
        List<CommitView.TransactionView> txs = new ArrayList<>(row.output().size());
        for (Digest d : row.output()) {
            txs.add(new CommitView.TransactionView(d.toHex(), payloads ? b64.encodeToString(payloadOf.get(d).payload()) : null));
        }
        return new CommitView(r.index(), new CommitView.Anchor(r.anchorRound(), r.anchorAuthor(), r.anchorDigest().toHex()),
                r.certificateDigests().stream().map(Digest::toHex).toList(), txs,
                CommittedSubDag.skipped(listed, output).stream().map(Digest::toHex).toList(),
                row.skipped().stream().map(Digest::toHex).toList(), r.committedAt());
    }
}
