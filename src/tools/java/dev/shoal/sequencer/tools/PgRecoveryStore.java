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
import dev.shoal.sequencer.storage.PreparedWrite;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.pg.PgStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL store for tools that run without Quarkus (benchmarks, the seeding test): a
 * {@link PgStore} on a plain Vert.x PostgreSQL pool. {@link PgStore#write}, the recovery page
 * ({@code certificatePage}) and every other read recovery makes run PgStore's own raw-client code.
 * The remaining queries are API-only (Hibernate Reactive Panache, which needs the Quarkus runtime)
 * and not offered: they throw {@link UnsupportedOperationException}.
 */
public final class PgRecoveryStore implements SequencerStore, AutoCloseable {
    private static final Duration T = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final Pool pool;
    private final PgStore pg;
    private final boolean ownsVertx;

    private PgRecoveryStore(Vertx vertx, Pool pool, boolean ownsVertx) {
        this.vertx = vertx;
        this.pool = pool;
        this.ownsVertx = ownsVertx;
        this.pg = new PgStore(pool, vertx, null, null, null, null, 0L);
    }

    /** A store on the database of a {@code jdbc:postgresql://host:port/db} URL. */
    public static PgRecoveryStore open(String jdbcUrl, String user, String password, int poolSize) {
        PgConnectOptions connect = PgConnectOptions.fromUri(jdbcUrl.replaceFirst("^jdbc:", "")).setUser(user);
        if (password != null) connect.setPassword(password);
        connect.setCachePreparedStatements(true).setPipeliningLimit(256)
                .addProperty("plan_cache_mode", "force_custom_plan"); // as the application's pool (application.properties)
        Vertx vertx = Vertx.vertx();
        io.vertx.sqlclient.Pool core = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize))
                .connectingTo(connect).using(vertx).build();
        return new PgRecoveryStore(vertx, Pool.newInstance(core), true);
    }

    public Pool pool() {
        return pool;
    }

    public PgStore pgStore() {
        return pg;
    }

    // ------------------------------------------------------------------ PgStore's raw-client code

    @Override
    public Uni<Void> write(WriteGroup group) {
        return pg.write(group);
    }

    @Override
    public PreparedWrite prepare(WriteGroup group) {
        return pg.prepare(group);
    }

    @Override
    public Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) {
        return pg.certificatePage(afterRound, afterAuthor, limit);
    }

    @Override
    public Uni<List<Header>> ownHeaders(long fromRound) {
        return pg.ownHeaders(fromRound);
    }

    @Override
    public Uni<List<VoteRecord>> votes(long fromRound) {
        return pg.votes(fromRound);
    }

    @Override
    public Uni<Long> lastCommitIndex() {
        return pg.lastCommitIndex();
    }

    @Override
    public Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests) {
        return pg.certificatesByDigest(digests);
    }

    @Override
    public Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests) {
        return pg.batchesByDigest(digests);
    }

    @Override
    public Uni<Integer> pruneCheckpoints(int keep) {
        return pg.pruneCheckpoints(keep);
    }

    @Override
    public Uni<dev.shoal.sequencer.storage.PrunedHistory> pruneHistory(long belowCommit, long belowRound, long windowCommit, long windowTransactions) {
        return pg.pruneHistory(belowCommit, belowRound, windowCommit, windowTransactions);
    }

    @Override
    public Uni<Long> lastCommitBefore(java.time.Instant instant) {
        return pg.lastCommitBefore(instant);
    }

    @Override
    public Uni<Boolean> reclaimsSpaceItself() {
        return pg.reclaimsSpaceItself();
    }

    @Override
    public Uni<Void> reclaimSpace() {
        return pg.reclaimSpace();
    }

    @Override
    public Uni<Void> saveCheckpoint(CheckpointRecord checkpoint) {
        return pg.saveCheckpoint(checkpoint);
    }

    // ------------------------------------------------------------------ start-up reads (raw client in PgStore too)

    @Override
    public Uni<Long> certificateCount() {
        return pg.certificateCount();
    }

    @Override
    public Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
        return pg.commits(fromIndex, limit);
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpoint() {
        return pg.latestCheckpoint();
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex) {
        return pg.latestCheckpointUpTo(commitIndex);
    }

    @Override
    public Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) {
        return pg.unreferencedBatches(author, limit);
    }

    // ------------------------------------------------------------------ API-only queries: not offered here

    private static <T> Uni<T> apiOnly(String what) {
        return Uni.createFrom().failure(new UnsupportedOperationException(what + " is an API query; use the service (PgStore)"));
    }

    @Override
    public Uni<Optional<StoredCertificate>> certificate(Digest digest) {
        return apiOnly("certificate(digest)");
    }

    @Override
    public Uni<List<StoredCertificate>> certificates(CertificateQuery query) {
        return apiOnly("certificates(query)");
    }

    @Override
    public Uni<Optional<StoredBatch>> batch(Digest digest) {
        return apiOnly("batch(digest)");
    }

    @Override
    public Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        return apiOnly("batches(...)");
    }

    @Override
    public Uni<List<CheckpointSummary>> checkpoints() {
        return apiOnly("checkpoints()");
    }

    @Override
    public Uni<ConsensusMetadata> metadata() {
        return apiOnly("metadata()");
    }

    @Override
    public Uni<Void> saveCommitTransactions(List<CommitTransactions> rows) {
        return apiOnly("saveCommitTransactions(...)");
    }

    @Override
    public Uni<List<CommitTransactions>> commitTransactions(long fromIndex, int limit) {
        return apiOnly("commitTransactions(...)");
    }

    @Override
    public Uni<Long> deleteCommitTransactionsAbove(long index) {
        return apiOnly("deleteCommitTransactionsAbove(...)");
    }

    @Override
    public Uni<Long> lastCommitTransactionsIndex() {
        return apiOnly("lastCommitTransactionsIndex()");
    }

    @Override
    public Uni<List<CommitTransactions>> commitTransactionsTail(long upToCommit, long transactions) {
        return apiOnly("commitTransactionsTail(...)");
    }

    @Override
    public void close() {
        pool.close().await().atMost(T);
        if (ownsVertx) vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
