package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The checkpoint table: one row per checkpoint round. */
final class PgCheckpoints {
    private final Pool pool;
    private final Vertx vertx;
    private final CheckpointRepository repository;

    PgCheckpoints(Pool pool, Vertx vertx, CheckpointRepository repository) {
        this.pool = pool;
        this.vertx = vertx;
        this.repository = repository;
    }

    /** Stores the checkpoint (replacing one of the same round) and points the metadata at it, in one transaction. */
    Uni<Void> save(CheckpointRecord c) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO checkpoint (round, format_version, codec, payload, checksum, uncompressed_size,
                                                compressed_size, certificate_count, commit_index, gc_round, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                        ON CONFLICT (round) DO UPDATE SET format_version = EXCLUDED.format_version, codec = EXCLUDED.codec,
                          payload = EXCLUDED.payload, checksum = EXCLUDED.checksum,
                          uncompressed_size = EXCLUDED.uncompressed_size, compressed_size = EXCLUDED.compressed_size,
                          certificate_count = EXCLUDED.certificate_count, commit_index = EXCLUDED.commit_index,
                          gc_round = EXCLUDED.gc_round, created_at = EXCLUDED.created_at""")
                .execute(Tuple.tuple(List.of(c.round(), c.formatVersion(), c.codec(), Buffer.buffer(c.payload()),
                        Buffer.buffer(c.checksum()), c.uncompressedSize(), c.compressedSize(), c.certificateCount(),
                        c.commitIndex(), c.gcRound(), c.createdAt().atOffset(ZoneOffset.UTC))))
                .chain(() -> PgMetadata.pointAtCheckpoint(conn, c.round(), c.createdAt())));
    }

    private static CheckpointRecord toRecord(CheckpointEntity e) {
        return new CheckpointRecord(e.round, e.formatVersion, e.codec, e.payload, e.checksum, e.uncompressedSize,
                e.certificateCount, e.commitIndex, e.gcRound, e.createdAt.toInstant());
    }

    Uni<Optional<CheckpointRecord>> latest() {
        return pool.query("""
                        SELECT round, format_version, codec, payload, checksum, uncompressed_size, certificate_count,
                               commit_index, gc_round, created_at
                        FROM checkpoint ORDER BY round DESC LIMIT 1""")
                .execute().map(PgCheckpoints::firstCheckpoint);
    }

    Uni<Optional<CheckpointRecord>> latestUpTo(long commitIndex) {
        return pool.preparedQuery("""
                        SELECT round, format_version, codec, payload, checksum, uncompressed_size, certificate_count,
                               commit_index, gc_round, created_at
                        FROM checkpoint WHERE commit_index <= $1 ORDER BY round DESC LIMIT 1""")
                .execute(Tuple.of(commitIndex)).map(PgCheckpoints::firstCheckpoint);
    }

    private static Optional<CheckpointRecord> firstCheckpoint(RowSet<Row> rows) {
        if (rows.size() == 0) return Optional.empty();
        Row r = rows.iterator().next();
        return Optional.of(new CheckpointRecord(r.getLong(0), r.getInteger(1), r.getString(2), r.getBuffer(3).getBytes(),
                r.getBuffer(4).getBytes(), r.getLong(5), r.getInteger(6), r.getLong(7), r.getLong(8),
                r.getOffsetDateTime(9).toInstant()));
    }

    Uni<List<CheckpointSummary>> summaries() {
        return VertxContexts.withPanacheSession(vertx, repository::newestFirst)
                .map(l -> l.stream().map(e -> toRecord(e).summary()).toList());
    }

    /** Keeps the newest keep checkpoints; returns how many were deleted. */
    Uni<Integer> prune(int keep) {
        return pool.preparedQuery("""
                        DELETE FROM checkpoint WHERE round NOT IN
                          (SELECT round FROM checkpoint ORDER BY round DESC LIMIT $1)""")
                .execute(Tuple.of(Math.max(keep, 0))).map(rows -> rows.rowCount());
    }
}
