package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.config.EngineConfig;
import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.storage.BatchPayloads;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.CertificateQuery;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import dev.shoal.sequencer.storage.SafetyRecordConflict;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import dev.shoal.sequencer.storage.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store. The hot write path and every read start-up recovery makes use the raw
 * Mutiny PostgreSQL client (one statement per table per group, rows passed as arrays through
 * {@code unnest}; keyset pages), so recovery never waits for Hibernate to warm up; the model's
 * listing and lookup queries for the API use Hibernate Reactive Panache repositories.
 */
@ApplicationScoped
public class PgStore implements SequencerStore {
    private static final CodecLimits LIMITS = CodecLimits.DEFAULT;

    private final Pool pool;
    private final Vertx vertx;
    private final CertificateRepository certificates;
    private final BatchRepository batches;
    private final CheckpointRepository checkpoints;
    private final ConsensusMetadataRepository metadata;
    private final PgCertificates certificateTable;
    private final PgCertificatePages pages;
    private final PgBatches batchTable;
    private final PgSafetyRecords safetyRecords;
    private final PgCommitLog commitLog;
    private final PgCommitTransactions commitTransactions;
    private final PgCheckpoints checkpointTable;
    private final PgMetadata metadataRow;
    /** Batches just written, served to readers without a round trip (sequencer.storage.batch-cache-bytes). */
    private final RecentBatches recent;

    @Inject
    public PgStore(Pool pool, Vertx vertx, CertificateRepository certificates, BatchRepository batches,
                   CheckpointRepository checkpoints, ConsensusMetadataRepository metadata, EngineConfig config) {
        this(pool, vertx, certificates, batches, checkpoints, metadata, config.storage().batchCacheBytes());
    }

    /** A store with a batch cache of {@code batchCacheBytes} (0: none), for tools that build their own pool. */
    public PgStore(Pool pool, Vertx vertx, CertificateRepository certificates, BatchRepository batches,
                   CheckpointRepository checkpoints, ConsensusMetadataRepository metadata, long batchCacheBytes) {
        this.recent = new RecentBatches(batchCacheBytes);
        this.pool = pool;
        this.vertx = vertx;
        this.certificates = certificates;
        this.batches = batches;
        this.checkpoints = checkpoints;
        this.metadata = metadata;
        this.certificateTable = new PgCertificates(pool, vertx, certificates);
        this.pages = new PgCertificatePages(pool);
        this.batchTable = new PgBatches(pool, vertx, batches, recent);
        this.safetyRecords = new PgSafetyRecords(pool);
        this.commitLog = new PgCommitLog(pool);
        this.commitTransactions = new PgCommitTransactions(pool);
        this.checkpointTable = new PgCheckpoints(pool, vertx, checkpoints);
        this.metadataRow = new PgMetadata(vertx, metadata);
    }

    // ------------------------------------------------------------------ write path

    @Override
    public Uni<Void> write(WriteGroup g) {
        if (g.isEmpty()) return Uni.createFrom().voidItem();
        pages.discardReadAhead(); // a page read before this write must not be handed out after it
        // Encode and compress on the caller's thread (the persistence pipeline), not on the
        // Vert.x event loop that runs the transaction's callbacks.
        Tuple certificates = PgCertificates.rows(g.certificates());
        Tuple batches = PgBatches.rows(g.batches());
        Tuple links = PgBatches.linkRows(g.batchLinks());
        Tuple ownHeaders = PgSafetyRecords.ownHeaderRows(g.ownHeaders());
        Tuple votes = PgSafetyRecords.voteRows(g.votes());
        Tuple commits = PgCommitLog.rows(g.commits());
        Tuple marks = PgCertificates.markRows(g.commits());
        return pool.withTransaction(conn -> {
            PgMetadata.GroupCounts counts = new PgMetadata.GroupCounts();
            // Issued together: the connection pipelines them (one round trip instead of one per
            // statement) and PostgreSQL still runs them in this order, which the link and mark
            // updates rely on (they touch rows inserted just before). Any failure aborts the transaction.
            List<Uni<Void>> statements = List.of(
                    execute(conn, PgCertificates.INSERT, certificates, rows -> counts.certificates += rows.rowCount()),
                    execute(conn, PgBatches.INSERT, batches, rows -> {
                        for (Row r : rows) {
                            counts.batches++;
                            counts.transactions += r.getInteger(0);
                        }
                    }),
                    execute(conn, PgBatches.LINK, links, rows -> { }),
                    execute(conn, PgSafetyRecords.INSERT_OWN_HEADERS, ownHeaders, rows -> PgSafetyRecords.refuseConflicts("own header", rows)),
                    execute(conn, PgSafetyRecords.INSERT_VOTES, votes, rows -> PgSafetyRecords.refuseConflicts("vote", rows)),
                    execute(conn, PgCommitLog.INSERT, commits, rows -> {
                        for (Row r : rows) {
                            if (r.getBoolean(2)) {
                                throw new SafetyRecordConflict("commit " + r.getLong(0) + " (anchor round " + r.getLong(1)
                                        + ") differs from the commit log's, which holds another commit at that index or that anchor elsewhere");
                            }
                            counts.commits++;
                            counts.lastCommitIndex = Math.max(counts.lastCommitIndex, r.getLong(0));
                            counts.highestCommittedRound = Math.max(counts.highestCommittedRound, r.getLong(1));
                        }
                    }),
                    execute(conn, PgCertificates.MARK_COMMITTED, marks, rows -> { }));
            return Uni.join().all(statements).andFailFast().chain(() -> PgMetadata.addGroup(conn, g, counts));
        }).invoke(() -> recent.written(g.batches(), g.batchLinks()));
    }

    /** Runs one statement of a group; a null tuple means the group has no rows for it. */
    private static Uni<Void> execute(SqlConnection conn, String sql, Tuple rows,
                                     java.util.function.Consumer<RowSet<Row>> onResult) {
        if (rows == null) return Uni.createFrom().voidItem();
        return conn.preparedQuery(sql).execute(rows).invoke(onResult).replaceWithVoid();
    }

    // ------------------------------------------------------------------ certificates

    @Override
    public Uni<Optional<StoredCertificate>> certificate(Digest digest) {
        return certificateTable.certificate(digest);
    }

    @Override
    public Uni<List<StoredCertificate>> certificates(CertificateQuery q) {
        return certificateTable.certificates(q);
    }

    @Override
    public Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) {
        return pages.page(afterRound, afterAuthor, limit);
    }

    @Override
    public Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests) {
        return certificateTable.certificatesByDigest(digests);
    }

    @Override
    public Uni<Long> certificateCount() {
        return certificateTable.certificateCount();
    }

    // ------------------------------------------------------------------ batches

    @Override
    public Uni<Optional<StoredBatch>> batch(Digest digest) {
        return batchTable.batch(digest);
    }

    @Override
    public Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests) {
        return batchTable.batchesByDigest(digests);
    }

    @Override
    public Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        return batchTable.batches(author, unreferencedOnly, limit);
    }

    @Override
    public Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) {
        return batchTable.unreferencedBatches(author, limit);
    }

    // ------------------------------------------------------------------ safety records

    @Override
    public Uni<List<Header>> ownHeaders(long fromRound) {
        return safetyRecords.ownHeaders(fromRound);
    }

    @Override
    public Uni<List<VoteRecord>> votes(long fromRound) {
        return safetyRecords.votes(fromRound);
    }

    // ------------------------------------------------------------------ commit log

    @Override
    public Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
        return commitLog.commits(fromIndex, limit);
    }

    @Override
    public Uni<Long> lastCommitIndex() {
        return commitLog.lastCommitIndex();
    }

    // ------------------------------------------------------------------ transaction-level output

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

    // ------------------------------------------------------------------ checkpoints

    @Override
    public Uni<Void> saveCheckpoint(CheckpointRecord checkpoint) {
        return checkpointTable.save(checkpoint);
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpoint() {
        return checkpointTable.latest();
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex) {
        return checkpointTable.latestUpTo(commitIndex);
    }

    @Override
    public Uni<List<CheckpointSummary>> checkpoints() {
        return checkpointTable.summaries();
    }

    @Override
    public Uni<Integer> pruneCheckpoints(int keep) {
        return checkpointTable.prune(keep);
    }

    @Override
    public Uni<Long> pruneBelowRound(long round) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        DELETE FROM batch WHERE certificate_digest IN (SELECT digest FROM certificate WHERE round < $1)""")
                .execute(Tuple.of(round))
                .chain(() -> conn.preparedQuery("DELETE FROM own_header WHERE round < $1").execute(Tuple.of(round)))
                .chain(() -> conn.preparedQuery("DELETE FROM vote_record WHERE round < $1").execute(Tuple.of(round)))
                .chain(() -> conn.preparedQuery("DELETE FROM certificate WHERE round < $1").execute(Tuple.of(round)))
                .map(rows -> (long) rows.rowCount()))
                .invoke(recent::clear);
    }

    /** Forgets the cached batches: for tests that empty the tables behind this store's back. */
    void forgetRecentBatches() {
        recent.clear();
    }

    // ------------------------------------------------------------------ metadata

    @Override
    public Uni<ConsensusMetadata> metadata() {
        return metadataRow.metadata();
    }
}
