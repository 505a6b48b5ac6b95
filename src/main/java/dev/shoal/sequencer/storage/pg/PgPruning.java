package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.PrunedHistory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Retention on PostgreSQL: deleting the history below a cut in one transaction (see
 * SequencerStore.pruneHistory), finding the cut's time limit, and VACUUM for servers whose
 * autovacuum is off.
 */
final class PgPruning {
    /** Every table the node deletes from or updates; VACUUM takes them in one statement. */
    private static final String TABLES = "certificate, batch, own_header, vote_record, committed_sub_dag, commit_transactions,"
            + " checkpoint, consensus_metadata";

    private final Pool pool;
    private final RecentBatches recent;

    PgPruning(Pool pool, RecentBatches recent) {
        this.pool = pool;
        this.recent = recent;
    }

    Uni<PrunedHistory> history(long belowCommit, long belowRound, long windowCommit, long windowTransactions) {
        return pool.withTransaction(conn -> {
            long[] n = new long[6];
            // Batches first: they are found through the certificates deleted after them.
            return count(conn, "DELETE FROM batch WHERE certificate_digest IN (SELECT digest FROM certificate WHERE round < $1)",
                            Tuple.of(belowRound), n, 1)
                    .chain(() -> count(conn, "DELETE FROM own_header WHERE round < $1", Tuple.of(belowRound), n, 2))
                    .chain(() -> count(conn, "DELETE FROM vote_record WHERE round < $1", Tuple.of(belowRound), n, 3))
                    .chain(() -> count(conn, "DELETE FROM certificate WHERE round < $1", Tuple.of(belowRound), n, 0))
                    .chain(() -> count(conn, "DELETE FROM committed_sub_dag WHERE commit_index < $1", Tuple.of(belowCommit), n, 4))
                    // A row the window still needs holds some of the last W output transactions after
                    // windowCommit; a row that output nothing holds none.
                    .chain(() -> count(conn, """
                            DELETE FROM commit_transactions WHERE commit_index < $1
                              AND (octet_length(output) = 0
                                   OR output_end <= (SELECT output_end FROM commit_transactions WHERE commit_index <= $2
                                                     ORDER BY commit_index DESC LIMIT 1) - $3)""",
                            Tuple.of(belowCommit, windowCommit, windowTransactions), n, 5))
                    .map(x -> new PrunedHistory(n[0], n[1], n[2], n[3], n[4], n[5]));
        }).invoke(pruned -> {
            if (pruned.batches() > 0) recent.clear(); // nothing pruned is served from the cache
        });
    }

    private static Uni<Void> count(SqlConnection conn, String sql, Tuple args, long[] into, int slot) {
        return conn.preparedQuery(sql).execute(args).invoke(rows -> into[slot] = rows.rowCount()).replaceWithVoid();
    }

    Uni<Long> lastCommitBefore(Instant instant) {
        return pool.preparedQuery("""
                        SELECT commit_index FROM committed_sub_dag WHERE committed_at < $1 ORDER BY committed_at DESC, commit_index DESC LIMIT 1""")
                .execute(Tuple.of(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }

    Uni<Boolean> autovacuumOn() {
        return pool.query("SHOW autovacuum").execute().map(rows -> "on".equalsIgnoreCase(rows.iterator().next().getString(0)));
    }

    Uni<Void> vacuum() {
        // VACUUM cannot run in a transaction block: a simple query on a pooled connection is its own.
        return pool.query("VACUUM (ANALYZE) " + TABLES).execute().replaceWithVoid();
    }
}
