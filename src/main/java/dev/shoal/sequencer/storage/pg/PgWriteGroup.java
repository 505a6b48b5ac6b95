package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.PreparedWrite;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.storage.WriteGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.function.Consumer;

/**
 * The hot write path: a whole {@link WriteGroup} in one transaction of two round trips, one
 * statement per table (rows passed as arrays through {@code unnest}), the statements and their
 * rows held by the table classes.
 */
final class PgWriteGroup {
    private final Pool pool;
    private final PgCertificatePages pages;
    private final RecentBatches recent;

    PgWriteGroup(Pool pool, PgCertificatePages pages, RecentBatches recent) {
        this.pool = pool;
        this.pages = pages;
        this.recent = recent;
    }

    /**
     * Encodes the group's rows now, on the caller's thread (the persistence pipeline, while the
     * previous group is being written), not on the Vert.x event loop that runs the transaction.
     */
    PreparedWrite prepare(WriteGroup g) {
        if (g.isEmpty()) return () -> Uni.createFrom().voidItem();
        Tuple certificates = PgCertificates.rows(g.certificates());
        Tuple batches = PgBatches.rows(g.batches());
        Tuple links = PgBatches.linkRows(g.batchLinks());
        Tuple ownHeaders = PgSafetyRecords.ownHeaderRows(g.ownHeaders());
        Tuple votes = PgSafetyRecords.voteRows(g.votes());
        Tuple commits = PgCommitLog.rows(g.commits());
        Tuple marks = PgCertificates.markRows(g.commits());
        return () -> transaction(g, certificates, batches, links, ownHeaders, votes, commits, marks);
    }

    private Uni<Void> transaction(WriteGroup g, Tuple certificates, Tuple batches, Tuple links, Tuple ownHeaders, Tuple votes,
                                  Tuple commits, Tuple marks) {
        pages.discardReadAhead(); // a page read before this write must not be handed out after it
        Tuple rounds = PgMetadata.roundRow(g);
        return pool.withConnection(conn -> {
            // Two round trips per group: BEGIN and every statement are issued together (the
            // connection pipelines them, and PostgreSQL runs them in this order, which the link and
            // mark updates rely on: they touch rows inserted just before), then COMMIT. The inserts
            // advance the metadata counts themselves, so nothing waits for a result but the
            // conflict checks, which decide between COMMIT and ROLLBACK.
            List<Uni<Void>> statements = List.of(
                    conn.query("BEGIN").execute().replaceWithVoid(),
                    execute(conn, PgCertificates.INSERT, certificates, rows -> { }),
                    execute(conn, PgBatches.INSERT, batches, rows -> { }),
                    execute(conn, PgBatches.LINK, links, rows -> { }),
                    execute(conn, PgSafetyRecords.INSERT_OWN_HEADERS, ownHeaders,
                            rows -> PgSafetyRecords.refuseConflicts("own header", rows)),
                    execute(conn, PgSafetyRecords.INSERT_VOTES, votes, rows -> PgSafetyRecords.refuseConflicts("vote", rows)),
                    execute(conn, PgCommitLog.INSERT, commits, rows -> {
                        for (Row r : rows) {
                            if (r.getBoolean(2)) {
                                throw new SafetyRecordConflictException("commit " + r.getLong(0) + " (anchor round " + r.getLong(1)
                                        + ") differs from the commit log's, which holds another commit at that index or that anchor elsewhere");
                            }
                        }
                    }),
                    execute(conn, PgCertificates.MARK_COMMITTED, marks, rows -> { }),
                    execute(conn, PgMetadata.ADVANCE_ROUNDS, rounds, rows -> { }));
            return Uni.join().all(statements).andFailFast()
                    .chain(() -> conn.query("COMMIT").execute().replaceWithVoid())
                    // Nothing of a failed group stays: roll back before the connection goes back to the pool.
                    .onFailure().call(err -> conn.query("ROLLBACK").execute().onFailure().recoverWithNull());
        }).invoke(() -> recent.written(g.batches(), g.batchLinks())); // cached only once committed
    }

    /** Runs one statement of a group; a null tuple means the group has no rows for it. */
    private static Uni<Void> execute(SqlConnection conn, String sql, Tuple rows, Consumer<RowSet<Row>> onResult) {
        if (rows == null) return Uni.createFrom().voidItem();
        return conn.preparedQuery(sql).execute(rows).invoke(onResult).replaceWithVoid();
    }
}
