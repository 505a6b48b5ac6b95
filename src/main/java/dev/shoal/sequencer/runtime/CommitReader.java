package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the durable commit log and resolves each commit's transactions: the batches the commit
 * outputs (certificates in commit order, each header's batches in header order, less the batches
 * exactly-once output skipped), each batch's transactions in batch order. A transaction that
 * appears twice in one commit is listed once (its first place).
 */
public final class CommitReader {
    private final SequencerStore store;
    private final boolean payloads;
    private final long firstHeld;

    /** A reader whose transactions carry their payloads, of a log held from commit 1. */
    public CommitReader(SequencerStore store) {
        this(store, true, 1);
    }

    /**
     * @param payloads  whether each transaction carries its payload (base64); without it only its
     *                  digest, which keeps a follower that only matches digests cheap for both sides
     * @param firstHeld the first commit this validator can hold (above 1 when it joined from a peer's
     *                  checkpoint): reads from below it fail with {@link PrunedHistoryException}
     */
    public CommitReader(SequencerStore store, boolean payloads, long firstHeld) {
        this.store = store;
        this.payloads = payloads;
        this.firstHeld = firstHeld;
    }

    /**
     * Fails with {@link PrunedHistoryException} when commit {@code index} is below the first held
     * one, or in the log but its certificates were pruned; completes otherwise (also past the log's
     * end). Reads no batches.
     */
    public Uni<Void> checkReadable(long index) {
        if (index < firstHeld) return Uni.createFrom().failure(PrunedHistoryException.beforeJoin(index, firstHeld));
        return store.commits(index, 1).chain(records -> {
            if (records.isEmpty()) return Uni.createFrom().voidItem();
            List<Digest> named = records.get(0).certificateDigests();
            return store.certificatesByDigest(named).invoke(found -> {
                if (found.size() < named.size()) throw new PrunedHistoryException(index);
            }).replaceWithVoid();
        });
    }

    /** Commits with index >= from, ascending, at most limit. */
    public Uni<List<CommitView>> read(long from, int limit) {
        if (from < firstHeld) return Uni.createFrom().failure(PrunedHistoryException.beforeJoin(from, firstHeld));
        return store.commits(from, limit).chain(this::resolve);
    }

    private Uni<List<CommitView>> resolve(List<CommitRecord> records) {
        if (records.isEmpty()) return Uni.createFrom().item(List.of());
        List<Digest> certDigests = new ArrayList<>();
        for (CommitRecord r : records) certDigests.addAll(r.certificateDigests());
        return store.certificatesByDigest(certDigests).chain(certs -> {
            Map<Digest, Certificate> byDigest = new HashMap<>();
            List<Digest> batchDigests = new ArrayList<>();
            for (StoredCertificate s : certs) {
                byDigest.put(s.certificate().digest(), s.certificate());
                batchDigests.addAll(s.certificate().header().batchDigests());
            }
            return store.batchesByDigest(batchDigests).map(batches -> {
                Map<Digest, Batch> batchByDigest = new HashMap<>();
                for (StoredBatch b : batches) batchByDigest.put(b.digest(), b.batch());
                List<CommitView> out = new ArrayList<>(records.size());
                for (CommitRecord r : records) out.add(view(r, byDigest, batchByDigest, payloads));
                return out;
            });
        });
    }

    private static CommitView view(CommitRecord r, Map<Digest, Certificate> certs, Map<Digest, Batch> batches, boolean payloads) {
        List<CommitView.TransactionView> txs = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        Base64.Encoder b64 = Base64.getEncoder();
        List<Digest> listed = new ArrayList<>();
        for (Digest d : r.certificateDigests()) {
            Certificate c = certs.get(d);
            // Certificates are durable before the commit that names them, so only pruning removes them.
            if (c == null) throw new PrunedHistoryException(r.index());
            listed.addAll(c.header().batchDigests());
        }
        // A commit stored before the log recorded its output batches output each listed batch once.
        List<Digest> output = r.outputBatches() != null ? r.outputBatches() : new ArrayList<>(new LinkedHashSet<>(listed));
        for (Digest bd : output) {
            Batch b = batches.get(bd);
            // A certificate enters the DAG only once its batches are durable here, and pruning removes
            // a certificate with its batches: a missing batch is a broken store, said, never skipped.
            if (b == null) {
                throw new IllegalStateException("commit " + r.index() + " names batch " + bd + " that is not stored here");
            }
            for (Transaction t : b.transactions()) {
                if (seen.add(t.digest())) txs.add(new CommitView.TransactionView(t.digest().toHex(), payloads ? b64.encodeToString(t.payload()) : null));
            }
        }
        return new CommitView(r.index(), new CommitView.Anchor(r.anchorRound(), r.anchorAuthor(), r.anchorDigest().toHex()),
                r.certificateDigests().stream().map(Digest::toHex).toList(), txs,
                CommittedSubDag.skipped(listed, output).stream().map(Digest::toHex).toList(), r.committedAt());
    }
}
