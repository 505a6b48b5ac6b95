package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The commit_transactions table: transaction-level output, written after each commit, in commit order. */
final class PgCommitTransactions {
    private final Pool pool;

    PgCommitTransactions(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> save(List<CommitTransactions> rows) {
        if (rows.isEmpty()) return Uni.createFrom().voidItem();
        Long[] index = new Long[rows.size()];
        Long[] end = new Long[rows.size()];
        Buffer[] output = new Buffer[rows.size()];
        Buffer[] skipped = new Buffer[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            CommitTransactions r = rows.get(i);
            index[i] = r.commitIndex();
            end[i] = r.outputEnd();
            output[i] = Buffer.buffer(CommitRecord.pack(r.output()));
            skipped[i] = Buffer.buffer(CommitRecord.pack(r.skipped()));
        }
        return pool.preparedQuery("""
                        INSERT INTO commit_transactions (commit_index, output_end, output, skipped)
                        SELECT * FROM unnest($1::int8[], $2::int8[], $3::bytea[], $4::bytea[]) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(index, end, output, skipped)).replaceWithVoid();
    }

    Uni<List<CommitTransactions>> from(long fromIndex, int limit) {
        return pool.preparedQuery("""
                        SELECT commit_index, output_end, output, skipped FROM commit_transactions
                        WHERE commit_index >= $1 ORDER BY commit_index LIMIT $2""")
                .execute(Tuple.of(fromIndex, limit)).map(PgCommitTransactions::toCommitTransactions);
    }

    Uni<Long> deleteAbove(long index) {
        return pool.preparedQuery("DELETE FROM commit_transactions WHERE commit_index > $1").execute(Tuple.of(index))
                .map(rows -> (long) rows.rowCount());
    }

    Uni<Long> lastIndex() {
        return pool.query("SELECT COALESCE(MAX(commit_index), 0) FROM commit_transactions").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    Uni<List<CommitTransactions>> tail(long upToCommit, long transactions) {
        return pool.preparedQuery("""
                        SELECT commit_index, output_end, output, skipped FROM commit_transactions
                        WHERE commit_index <= $1 AND output_end > (SELECT output_end FROM commit_transactions
                                                                   WHERE commit_index <= $1 ORDER BY commit_index DESC LIMIT 1) - $2
                        ORDER BY commit_index""")
                .execute(Tuple.of(upToCommit, transactions)).map(PgCommitTransactions::toCommitTransactions);
    }

    private static List<CommitTransactions> toCommitTransactions(RowSet<Row> rows) {
        List<CommitTransactions> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new CommitTransactions(r.getLong(0), r.getLong(1), CommitRecord.unpack(r.getBuffer(2).getBytes()),
                    CommitRecord.unpack(r.getBuffer(3).getBytes())));
        }
        return out;
    }
}
