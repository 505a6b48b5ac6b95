package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable state of one validator. Two implementations (in memory, PostgreSQL) pass one contract
 * test. A Uni from {@link #write} completes only once the whole group is durable.
 */
public interface SequencerStore {

    /** Makes the group durable atomically; idempotent for retries. */
    Uni<Void> write(WriteGroup group);

    /**
     * Does the group's CPU work (encoding its rows) now, on the caller's thread, and leaves the
     * database work to {@link PreparedWrite#execute}: the persistence pipeline prepares the next
     * group while the previous one is being written. By default nothing is done ahead.
     */
    default PreparedWrite prepare(WriteGroup group) {
        return () -> write(group);
    }

    // --- certificates ---
    Uni<Optional<StoredCertificate>> certificate(Digest digest);

    Uni<List<StoredCertificate>> certificates(CertificateQuery query);

    /**
     * Certificates in (round, author) order strictly after the position (afterRound, afterAuthor),
     * at most limit of them: the keyset page recovery streams with.
     */
    Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit);

    Uni<Long> certificateCount();

    /** The certificates with these digests that are stored, in no particular order. */
    Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests);

    // --- batches ---
    Uni<Optional<StoredBatch>> batch(Digest digest);

    /** The batches with these digests that are stored, in no particular order. */
    Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests);

    Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit);

    /** Batches of one author that no certificate references yet, oldest first (re-proposed after a crash). */
    Uni<List<StoredBatch>> unreferencedBatches(int author, int limit);

    // --- safety records ---
    Uni<List<Header>> ownHeaders(long fromRound);

    Uni<List<VoteRecord>> votes(long fromRound);

    // --- commit log ---
    Uni<List<CommitRecord>> commits(long fromIndex, int limit);

    Uni<Long> lastCommitIndex();

    // --- transaction-level output (written after the commit, in commit order) ---

    /** Stores these rows; a row already stored for the same commit is kept (retries). */
    Uni<Void> saveCommitTransactions(List<CommitTransactions> rows);

    /** Rows with commit index >= from, ascending, at most limit. */
    Uni<List<CommitTransactions>> commitTransactions(long fromIndex, int limit);

    /**
     * Deletes the rows above commit {@code index}: rows must never run ahead of the commit log
     * (a log that lost trailing commits re-derives them, and they are decided again). Returns how many.
     */
    Uni<Long> deleteCommitTransactionsAbove(long index);

    /** The highest commit with a row; 0 when none. */
    Uni<Long> lastCommitTransactionsIndex();

    /**
     * The rows up to commit {@code upToCommit} whose output reaches into the last
     * {@code transactions} output transactions up to it (output end above the end of the newest
     * such row less that many), ascending: what rebuilds the window after that commit.
     */
    Uni<List<CommitTransactions>> commitTransactionsTail(long upToCommit, long transactions);

    // --- checkpoints ---
    Uni<Void> saveCheckpoint(CheckpointRecord checkpoint);

    Uni<Optional<CheckpointRecord>> latestCheckpoint();

    /** The newest checkpoint whose last commit index is at most {@code commitIndex}. */
    Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex);

    Uni<List<CheckpointSummary>> checkpoints();

    /** Keeps the newest keep checkpoints; returns how many were deleted. */
    Uni<Integer> pruneCheckpoints(int keep);

    /**
     * Deletes the history below a retention cut, in one transaction: certificates below
     * {@code belowRound} with the batches they referenced, our own headers and votes below it (no
     * recovery starts below the oldest kept checkpoint's GC round, and the DAG refuses headers
     * that old, so no safety check reads them again), the commits below {@code belowCommit}, and
     * their transaction rows except those the exactly-once window after commit
     * {@code windowCommit} still needs (its last {@code windowTransactions} output transactions).
     */
    Uni<PrunedHistory> pruneHistory(long belowCommit, long belowRound, long windowCommit, long windowTransactions);

    /** The last commit stored before this instant (by this node's clock); 0 when none. */
    Uni<Long> lastCommitBefore(Instant instant);

    /**
     * Whether the database reclaims deleted and updated rows by itself (PostgreSQL's autovacuum
     * is on; always for a store without such rows).
     */
    Uni<Boolean> reclaimsSpaceItself();

    /** Makes the space of deleted and updated rows reusable (PostgreSQL: VACUUM of the node's tables). */
    Uni<Void> reclaimSpace();

    // --- metadata ---
    Uni<ConsensusMetadata> metadata();
}
