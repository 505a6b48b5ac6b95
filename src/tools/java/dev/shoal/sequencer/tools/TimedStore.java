package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.CertificateQuery;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A store that adds up, per method, the time from subscription to result. Recovery awaits each
 * read before the next, so the sums split its wall time into store reads and the rest (in-memory
 * replay): the benchmark's profile.
 */
final class TimedStore implements SequencerStore {
    private final SequencerStore d;
    private final ConcurrentHashMap<String, AtomicLong> nanos = new ConcurrentHashMap<>();

    TimedStore(SequencerStore delegate) {
        this.d = delegate;
    }

    private <T> Uni<T> timed(String name, Supplier<Uni<T>> call) {
        return Uni.createFrom().deferred(() -> {
            long t0 = System.nanoTime();
            return call.get().onTermination().invoke(() ->
                    nanos.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(System.nanoTime() - t0));
        });
    }

    long nanos(String method) {
        AtomicLong v = nanos.get(method);
        return v == null ? 0 : v.get();
    }

    long totalNanos() {
        return nanos.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void reset() {
        nanos.clear();
    }

    @Override public Uni<Void> write(WriteGroup g) { return timed("write", () -> d.write(g)); }
    @Override public Uni<Optional<StoredCertificate>> certificate(Digest x) { return timed("certificate", () -> d.certificate(x)); }
    @Override public Uni<List<StoredCertificate>> certificates(CertificateQuery q) { return timed("certificates", () -> d.certificates(q)); }
    @Override public Uni<List<Certificate>> certificatePage(long r, int a, int l) { return timed("certificatePage", () -> d.certificatePage(r, a, l)); }
    @Override public Uni<Long> certificateCount() { return timed("certificateCount", d::certificateCount); }
    @Override public Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> x) { return timed("certificatesByDigest", () -> d.certificatesByDigest(x)); }
    @Override public Uni<Optional<StoredBatch>> batch(Digest x) { return timed("batch", () -> d.batch(x)); }
    @Override public Uni<List<StoredBatch>> batchesByDigest(List<Digest> x) { return timed("batchesByDigest", () -> d.batchesByDigest(x)); }
    @Override public Uni<List<BatchSummary>> batches(Optional<Integer> a, boolean u, int l) { return timed("batches", () -> d.batches(a, u, l)); }
    @Override public Uni<List<StoredBatch>> unreferencedBatches(int a, int l) { return timed("unreferencedBatches", () -> d.unreferencedBatches(a, l)); }
    @Override public Uni<List<Header>> ownHeaders(long r) { return timed("ownHeaders", () -> d.ownHeaders(r)); }
    @Override public Uni<List<VoteRecord>> votes(long r) { return timed("votes", () -> d.votes(r)); }
    @Override public Uni<List<CommitRecord>> commits(long i, int l) { return timed("commits", () -> d.commits(i, l)); }
    @Override public Uni<Long> lastCommitIndex() { return timed("lastCommitIndex", d::lastCommitIndex); }
    @Override public Uni<Void> saveCommitTransactions(List<CommitTransactions> r) { return timed("saveCommitTransactions", () -> d.saveCommitTransactions(r)); }
    @Override public Uni<List<CommitTransactions>> commitTransactions(long i, int l) { return timed("commitTransactions", () -> d.commitTransactions(i, l)); }
    @Override public Uni<Long> deleteCommitTransactionsAbove(long i) { return timed("deleteCommitTransactionsAbove", () -> d.deleteCommitTransactionsAbove(i)); }
    @Override public Uni<Long> lastCommitTransactionsIndex() { return timed("lastCommitTransactionsIndex", d::lastCommitTransactionsIndex); }
    @Override public Uni<List<CommitTransactions>> commitTransactionsTail(long u, long t) { return timed("commitTransactionsTail", () -> d.commitTransactionsTail(u, t)); }
    @Override public Uni<Void> saveCheckpoint(CheckpointRecord c) { return timed("saveCheckpoint", () -> d.saveCheckpoint(c)); }
    @Override public Uni<Optional<CheckpointRecord>> latestCheckpoint() { return timed("latestCheckpoint", d::latestCheckpoint); }
    @Override public Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex) { return timed("latestCheckpointUpTo", () -> d.latestCheckpointUpTo(commitIndex)); }
    @Override public Uni<List<CheckpointSummary>> checkpoints() { return timed("checkpoints", d::checkpoints); }
    @Override public Uni<Integer> pruneCheckpoints(int k) { return timed("pruneCheckpoints", () -> d.pruneCheckpoints(k)); }
    @Override public Uni<dev.shoal.sequencer.storage.PrunedHistory> pruneHistory(long c, long r, long wc, long wt) {
        return timed("pruneHistory", () -> d.pruneHistory(c, r, wc, wt));
    }
    @Override public Uni<Long> lastCommitBefore(java.time.Instant t) { return timed("lastCommitBefore", () -> d.lastCommitBefore(t)); }
    @Override public Uni<Boolean> reclaimsSpaceItself() { return d.reclaimsSpaceItself(); }
    @Override public Uni<Void> reclaimSpace() { return timed("reclaimSpace", d::reclaimSpace); }
    @Override public Uni<ConsensusMetadata> metadata() { return timed("metadata", d::metadata); }
}
