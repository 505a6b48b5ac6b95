package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.CommitRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The committed_sub_dag table: the commit log, one row per commit index, never rewritten. */
final class PgCommitLog {
    /**
     * Inserts and counts what it inserted in the metadata (GREATEST ignores the NULL max of
     * nothing inserted). Rows: (index, anchor round, false) per commit stored now, (index, anchor
     * round, true) per conflict.
     */
    static final String INSERT = """
            WITH input AS (SELECT * FROM unnest($1::int8[], $2::bytea[], $3::int8[], $4::int4[], $5::int4[], $6::bytea[],
                                                $7::bytea[], $8::bytea[], $9::timestamptz[], $10::bytea[])
                                         AS i(commit_index, anchor_digest, anchor_round, anchor_author, certificate_count,
                                              certificate_digests, last_committed_rounds, reputation_inputs, committed_at,
                                              output_batches)),
                 stored AS (INSERT INTO committed_sub_dag (commit_index, anchor_digest, anchor_round, anchor_author,
                                                           certificate_count, certificate_digests, last_committed_rounds,
                                                           reputation_inputs, committed_at, output_batches)
                            SELECT * FROM input ON CONFLICT DO NOTHING
                            RETURNING commit_index, anchor_round),
                 counted AS (UPDATE consensus_metadata SET
                               total_commits = total_commits + (SELECT count(*) FROM stored),
                               last_commit_index = GREATEST(last_commit_index, (SELECT max(commit_index) FROM stored)),
                               highest_committed_round = GREATEST(highest_committed_round, (SELECT max(anchor_round) FROM stored))
                             WHERE id = 'current')
            SELECT commit_index, anchor_round, FALSE FROM stored
            UNION ALL
            SELECT i.commit_index, i.anchor_round, TRUE FROM input i
            JOIN committed_sub_dag c ON c.commit_index = i.commit_index OR c.anchor_digest = i.anchor_digest
            WHERE c.commit_index <> i.commit_index OR c.anchor_digest <> i.anchor_digest""";

    private final Pool pool;

    PgCommitLog(Pool pool) {
        this.pool = pool;
    }

    /** The parameters of {@link #INSERT}, or null when there are no commits. */
    static Tuple rows(List<CommitRecord> cs) {
        if (cs.isEmpty()) return null;
        int n = cs.size();
        Long[] index = new Long[n], anchorRound = new Long[n];
        Integer[] anchorAuthor = new Integer[n], count = new Integer[n];
        Buffer[] anchor = new Buffer[n], digests = new Buffer[n], lcr = new Buffer[n], rep = new Buffer[n], out = new Buffer[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            CommitRecord c = cs.get(i);
            index[i] = c.index();
            anchor[i] = Buffer.buffer(c.anchorDigest().toBytes());
            anchorRound[i] = c.anchorRound();
            anchorAuthor[i] = c.anchorAuthor();
            count[i] = c.certificateDigests().size();
            Buffer all = Buffer.buffer(32 * c.certificateDigests().size());
            for (Digest d : c.certificateDigests()) all.appendBytes(d.toBytes());
            digests[i] = all;
            lcr[i] = Buffer.buffer(c.lastCommittedRounds());
            rep[i] = Buffer.buffer(c.reputationInputs());
            at[i] = c.committedAt().atOffset(ZoneOffset.UTC);
            out[i] = c.outputBatches() == null ? null : Buffer.buffer(CommitRecord.pack(c.outputBatches()));
        }
        return Tuple.tuple(List.of(index, anchor, anchorRound, anchorAuthor, count, digests, lcr, rep, at, out));
    }

    Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
        // Raw client: read at start-up by recovery and on the hot path of GET /commits and the stream.
        return pool.preparedQuery("""
                        SELECT commit_index, anchor_digest, anchor_round, anchor_author, certificate_count, certificate_digests,
                               last_committed_rounds, reputation_inputs, committed_at, output_batches
                        FROM committed_sub_dag WHERE commit_index >= $1 ORDER BY commit_index LIMIT $2""")
                .execute(Tuple.of(fromIndex, limit)).map(rows -> {
                    List<CommitRecord> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        int n = r.getInteger(4);
                        byte[] all = r.getBuffer(5).getBytes();
                        List<Digest> ds = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) ds.add(Digest.of(java.util.Arrays.copyOfRange(all, 32 * i, 32 * i + 32)));
                        out.add(new CommitRecord(r.getLong(0), Digest.of(r.getBuffer(1).getBytes()), r.getLong(2), r.getInteger(3),
                                ds, r.getBuffer(6).getBytes(), r.getBuffer(7).getBytes(),
                                r.getBuffer(9) == null ? null : CommitRecord.unpack(r.getBuffer(9).getBytes()),
                                r.getOffsetDateTime(8).toInstant()));
                    }
                    return out;
                });
    }

    Uni<Long> lastCommitIndex() {
        return pool.query("SELECT COALESCE(MAX(commit_index), 0) FROM committed_sub_dag").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
