package dev.shoal.sequencer.storage.pg;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Pruning below a round, in one transaction: certificates, the batches only they referenced, and
 * our own headers and votes. The commit log is never pruned (see SequencerStore.pruneBelowRound).
 */
final class PgPruning {
    private final Pool pool;
    private final RecentBatches recent;

    PgPruning(Pool pool, RecentBatches recent) {
        this.pool = pool;
        this.recent = recent;
    }

    /** Returns the certificates deleted. */
    Uni<Long> belowRound(long round) {
        // Batches first: they are found through the certificates deleted last.
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        DELETE FROM batch WHERE certificate_digest IN (SELECT digest FROM certificate WHERE round < $1)""")
                .execute(Tuple.of(round))
                .chain(() -> conn.preparedQuery("DELETE FROM own_header WHERE round < $1").execute(Tuple.of(round)))
                .chain(() -> conn.preparedQuery("DELETE FROM vote_record WHERE round < $1").execute(Tuple.of(round)))
                .chain(() -> conn.preparedQuery("DELETE FROM certificate WHERE round < $1").execute(Tuple.of(round)))
                .map(rows -> (long) rows.rowCount()))
                .invoke(recent::clear); // nothing pruned is served from the cache
    }
}
