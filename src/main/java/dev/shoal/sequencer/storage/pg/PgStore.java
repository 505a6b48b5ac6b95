package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.config.SequencerConfig;
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
import dev.shoal.sequencer.storage.PreparedWrite;
import dev.shoal.sequencer.storage.PrunedHistory;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL store. The hot write path and every read start-up recovery makes use the raw
 * Mutiny PostgreSQL client (one statement per table per group, rows passed as arrays through
 * {@code unnest}; keyset pages), so recovery never waits for Hibernate to warm up; the model's
 * listing and lookup queries for the API use Hibernate Reactive Panache repositories.
 *
 * <p>A facade: the group write is {@link PgWriteGroup}, pruning {@link PgPruning}, and each
 * section of {@link SequencerStore} a class holding the SQL of its tables.
 */
@ApplicationScoped
public class PgStore implements SequencerStore {
    /** Batches just written, served to readers without a round trip (sequencer.storage.batch-cache-bytes). */
    private final RecentBatches recent;
    /** Shared with the writer, which discards the page read ahead on every write. */
    private final PgCertificatePages pages;
    private final PgWriteGroup writer;
    private final PgCertificates certificates;
    private final PgBatches batches;
    private final PgSafetyRecords safetyRecords;
    private final PgCommitLog commitLog;
    private final PgCommitTransactions commitTransactions;
    private final PgCheckpoints checkpoints;
    private final PgPruning pruning;
    private final PgMetadata metadata;

    @Inject
    public PgStore(Pool pool, Vertx vertx, CertificateRepository certificates, BatchRepository batches,
                   CheckpointRepository checkpoints, ConsensusMetadataRepository metadata, SequencerConfig config) {
        this(pool, vertx, certificates, batches, checkpoints, metadata, config.storage().batchCacheBytes());
    }

    /** A store with a batch cache of {@code batchCacheBytes} (0: none), for tools that build their own pool. */
    public PgStore(Pool pool, Vertx vertx, CertificateRepository certificates, BatchRepository batches,
                   CheckpointRepository checkpoints, ConsensusMetadataRepository metadata, long batchCacheBytes) {
        this.recent = new RecentBatches(batchCacheBytes);
        this.pages = new PgCertificatePages(pool);
        this.writer = new PgWriteGroup(pool, pages, recent);
        this.certificates = new PgCertificates(pool, vertx, certificates);
        this.batches = new PgBatches(pool, vertx, batches, recent);
        this.safetyRecords = new PgSafetyRecords(pool);
        this.commitLog = new PgCommitLog(pool);
        this.commitTransactions = new PgCommitTransactions(pool);
        this.checkpoints = new PgCheckpoints(pool, vertx, checkpoints);
        this.pruning = new PgPruning(pool, recent);
        this.metadata = new PgMetadata(vertx, metadata);
    }

    @Override
    public Uni<Void> write(WriteGroup group) {
        return writer.prepare(group).execute();
    }

    @Override
    public PreparedWrite prepare(WriteGroup group) {
        return writer.prepare(group);
    }

    // --- certificates

    @Override
    public Uni<Optional<StoredCertificate>> certificate(Digest digest) {
        return certificates.certificate(digest);
    }

    @Override
    public Uni<List<StoredCertificate>> certificates(CertificateQuery query) {
        return certificates.certificates(query);
    }

    @Override
    public Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) {
        return pages.page(afterRound, afterAuthor, limit);
    }

    @Override
    public Uni<Long> certificateCount() {
        return certificates.certificateCount();
    }

    @Override
    public Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests) {
        return certificates.certificatesByDigest(digests);
    }

    // --- batches

    @Override
    public Uni<Optional<StoredBatch>> batch(Digest digest) {
        return batches.batch(digest);
    }

    @Override
    public Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests) {
        return batches.batchesByDigest(digests);
    }

    @Override
    public Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        return batches.batches(author, unreferencedOnly, limit);
    }

    @Override
    public Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) {
        return batches.unreferencedBatches(author, limit);
    }

    /** Forgets the cached batches: for tests that empty the tables behind this store's back. */
    void forgetRecentBatches() {
        recent.clear();
    }

    // --- safety records

    @Override
    public Uni<List<Header>> ownHeaders(long fromRound) {
        return safetyRecords.ownHeaders(fromRound);
    }

    @Override
    public Uni<List<VoteRecord>> votes(long fromRound) {
        return safetyRecords.votes(fromRound);
    }

    // --- commit log

    @Override
    public Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
        return commitLog.commits(fromIndex, limit);
    }

    @Override
    public Uni<Long> lastCommitIndex() {
        return commitLog.lastCommitIndex();
    }

    // --- transaction-level output

    @Override
    public Uni<Void> saveCommitTransactions(List<CommitTransactions> rows) {
        return commitTransactions.save(rows);
    }

    @Override
    public Uni<List<CommitTransactions>> commitTransactions(long fromIndex, int limit) {
        return commitTransactions.from(fromIndex, limit);
    }

    @Override
    public Uni<Long> deleteCommitTransactionsAbove(long index) {
        return commitTransactions.deleteAbove(index);
    }

    @Override
    public Uni<Long> lastCommitTransactionsIndex() {
        return commitTransactions.lastIndex();
    }

    @Override
    public Uni<List<CommitTransactions>> commitTransactionsTail(long upToCommit, long transactions) {
        return commitTransactions.tail(upToCommit, transactions);
    }

    // --- checkpoints (and pruning)

    @Override
    public Uni<Void> saveCheckpoint(CheckpointRecord checkpoint) {
        return checkpoints.save(checkpoint);
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpoint() {
        return checkpoints.latest();
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex) {
        return checkpoints.latestUpTo(commitIndex);
    }

    @Override
    public Uni<List<CheckpointSummary>> checkpoints() {
        return checkpoints.summaries();
    }

    @Override
    public Uni<Integer> pruneCheckpoints(int keep) {
        return checkpoints.prune(keep);
    }

    @Override
    public Uni<PrunedHistory> pruneHistory(long belowCommit, long belowRound, long windowCommit, long windowTransactions) {
        return pruning.history(belowCommit, belowRound, windowCommit, windowTransactions);
    }

    @Override
    public Uni<Long> lastCommitBefore(Instant instant) {
        return pruning.lastCommitBefore(instant);
    }

    @Override
    public Uni<Boolean> reclaimsSpaceItself() {
        return pruning.autovacuumOn();
    }

    @Override
    public Uni<Void> reclaimSpace() {
        return pruning.vacuum();
    }

    // --- metadata

    @Override
    public Uni<ConsensusMetadata> metadata() {
        return metadata.metadata();
    }
}
