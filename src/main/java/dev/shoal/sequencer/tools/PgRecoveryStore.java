package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.storage.BatchPayloads;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.CertificateQuery;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import dev.shoal.sequencer.storage.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.pg.PgStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL store for tools that run without Quarkus (benchmarks, the seeding test): a
 * {@link PgStore} on a plain Vert.x PostgreSQL pool. {@link PgStore#write}, the recovery page
 * ({@code certificatePage}), own headers, votes and the last commit index run PgStore's own code
 * (they use only the raw client). The four reads PgStore does through Hibernate Reactive Panache
 * (which needs the Quarkus runtime) — certificate count, commit log, latest checkpoint, unreferenced
 * batches — are the same SQL on the raw client here. The remaining queries are API-only and not
 * offered: they throw {@link UnsupportedOperationException}.
 */
public final class PgRecoveryStore implements SequencerStore, AutoCloseable {
    private static final CodecLimits LIMITS = CodecLimits.DEFAULT;
    private static final Duration T = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final Pool pool;
    private final PgStore pg;
    private final boolean ownsVertx;

    private PgRecoveryStore(Vertx vertx, Pool pool, boolean ownsVertx) {
        this.vertx = vertx;
        this.pool = pool;
        this.ownsVertx = ownsVertx;
        this.pg = new PgStore(pool, vertx, null, null, null, null, null);
    }

    /** A store on the database of a {@code jdbc:postgresql://host:port/db} URL. */
    public static PgRecoveryStore open(String jdbcUrl, String user, String password, int poolSize) {
        PgConnectOptions connect = PgConnectOptions.fromUri(jdbcUrl.replaceFirst("^jdbc:", "")).setUser(user);
        if (password != null) connect.setPassword(password);
        connect.setCachePreparedStatements(true).setPipeliningLimit(256);
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
    public Uni<Long> pruneBelowRound(long round) {
        return pg.pruneBelowRound(round);
    }

    @Override
    public Uni<Void> saveCheckpoint(CheckpointRecord checkpoint) {
        return pg.saveCheckpoint(checkpoint);
    }

    // ------------------------------------------------------------------ Panache reads, as raw SQL

    @Override
    public Uni<Long> certificateCount() {
        return pool.query("SELECT count(*) FROM certificate").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    @Override
    public Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
        return pool.preparedQuery("""
                        SELECT commit_index, anchor_digest, anchor_round, anchor_author, certificate_count, certificate_digests,
                               last_committed_rounds, reputation_inputs, committed_at
                        FROM committed_sub_dag WHERE commit_index >= $1 ORDER BY commit_index LIMIT $2""")
                .execute(Tuple.of(fromIndex, limit)).map(rows -> {
                    List<CommitRecord> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        int n = r.getInteger(4);
                        byte[] all = r.getBuffer(5).getBytes();
                        List<Digest> ds = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) ds.add(Digest.of(Arrays.copyOfRange(all, 32 * i, 32 * i + 32)));
                        out.add(new CommitRecord(r.getLong(0), Digest.of(r.getBuffer(1).getBytes()), r.getLong(2), r.getInteger(3),
                                ds, r.getBuffer(6).getBytes(), r.getBuffer(7).getBytes(), r.getOffsetDateTime(8).toInstant()));
                    }
                    return out;
                });
    }

    @Override
    public Uni<Optional<CheckpointRecord>> latestCheckpoint() {
        return pool.query("""
                        SELECT round, format_version, codec, payload, checksum, uncompressed_size, certificate_count,
                               commit_index, gc_round, created_at
                        FROM checkpoint ORDER BY round DESC LIMIT 1""")
                .execute().map(rows -> {
                    if (rows.size() == 0) return Optional.empty();
                    Row r = rows.iterator().next();
                    return Optional.of(new CheckpointRecord(r.getLong(0), r.getInteger(1), r.getString(2), r.getBuffer(3).getBytes(),
                            r.getBuffer(4).getBytes(), r.getLong(5), r.getInteger(6), r.getLong(7), r.getLong(8),
                            r.getOffsetDateTime(9).toInstant()));
                });
    }

    @Override
    public Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) {
        return pool.preparedQuery("""
                        SELECT digest, codec, payload FROM batch WHERE author = $1 AND certificate_digest IS NULL
                        ORDER BY created_at, digest LIMIT $2""")
                .execute(Tuple.of(author, limit)).map(rows -> {
                    List<StoredBatch> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new StoredBatch(Digest.of(r.getBuffer(0).getBytes()),
                                BatchPayloads.decode(r.getString(1), r.getBuffer(2).getBytes(), LIMITS), Optional.empty()));
                    }
                    return out;
                });
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
    public void close() {
        pool.close().await().atMost(T);
        if (ownsVertx) vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
