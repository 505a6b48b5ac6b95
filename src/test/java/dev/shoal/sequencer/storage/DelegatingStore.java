package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/** Forwards every call to a real store; tests override write to inject failures or delays. */
public class DelegatingStore implements SequencerStore {
    public final SequencerStore delegate;

    public DelegatingStore(SequencerStore delegate) {
        this.delegate = delegate;
    }

    @Override public Uni<Void> write(WriteGroup group) { return delegate.write(group); }
    @Override public Uni<Optional<StoredCertificate>> certificate(Digest digest) { return delegate.certificate(digest); }
    @Override public Uni<List<StoredCertificate>> certificates(CertificateQuery query) { return delegate.certificates(query); }
    @Override public Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) { return delegate.certificatePage(afterRound, afterAuthor, limit); }
    @Override public Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests) { return delegate.certificatesByDigest(digests); }
    @Override public Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests) { return delegate.batchesByDigest(digests); }
    @Override public Uni<Long> certificateCount() { return delegate.certificateCount(); }
    @Override public Uni<Optional<StoredBatch>> batch(Digest digest) { return delegate.batch(digest); }
    @Override public Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) { return delegate.batches(author, unreferencedOnly, limit); }
    @Override public Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) { return delegate.unreferencedBatches(author, limit); }
    @Override public Uni<List<Header>> ownHeaders(long fromRound) { return delegate.ownHeaders(fromRound); }
    @Override public Uni<List<VoteRecord>> votes(long fromRound) { return delegate.votes(fromRound); }
    @Override public Uni<List<CommitRecord>> commits(long fromIndex, int limit) { return delegate.commits(fromIndex, limit); }
    @Override public Uni<Long> lastCommitIndex() { return delegate.lastCommitIndex(); }
    @Override public Uni<Void> saveCommitTransactions(List<CommitTransactions> rows) { return delegate.saveCommitTransactions(rows); }
    @Override public Uni<List<CommitTransactions>> commitTransactions(long fromIndex, int limit) { return delegate.commitTransactions(fromIndex, limit); }
    @Override public Uni<Long> deleteCommitTransactionsAbove(long index) { return delegate.deleteCommitTransactionsAbove(index); }
    @Override public Uni<Long> lastCommitTransactionsIndex() { return delegate.lastCommitTransactionsIndex(); }
    @Override public Uni<List<CommitTransactions>> commitTransactionsTail(long upToCommit, long transactions) { return delegate.commitTransactionsTail(upToCommit, transactions); }
    @Override public Uni<Void> saveCheckpoint(CheckpointRecord checkpoint) { return delegate.saveCheckpoint(checkpoint); }
    @Override public Uni<Optional<CheckpointRecord>> latestCheckpoint() { return delegate.latestCheckpoint(); }
    @Override public Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex) { return delegate.latestCheckpointUpTo(commitIndex); }
    @Override public Uni<List<CheckpointSummary>> checkpoints() { return delegate.checkpoints(); }
    @Override public Uni<Integer> pruneCheckpoints(int keep) { return delegate.pruneCheckpoints(keep); }
    @Override public Uni<PrunedHistory> pruneHistory(long belowCommit, long belowRound, long windowCommit, long windowTransactions) {
        return delegate.pruneHistory(belowCommit, belowRound, windowCommit, windowTransactions);
    }
    @Override public Uni<Long> lastCommitBefore(java.time.Instant instant) { return delegate.lastCommitBefore(instant); }
    @Override public Uni<Boolean> reclaimsSpaceItself() { return delegate.reclaimsSpaceItself(); }
    @Override public Uni<Void> reclaimSpace() { return delegate.reclaimSpace(); }
    @Override public Uni<ConsensusMetadata> metadata() { return delegate.metadata(); }
}
