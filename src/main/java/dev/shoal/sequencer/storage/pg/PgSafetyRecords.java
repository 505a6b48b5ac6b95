package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The own_header and vote_record tables: what this validator proposed and voted for, never to be contradicted. */
final class PgSafetyRecords {
    private static final CodecLimits LIMITS = CodecLimits.DEFAULT;

    // Safety records: the same row again is a retry (no-op); a different one for the same key is a
    // conflict. The SELECT runs on the statement's snapshot, so it sees only rows stored before it.
    static final String INSERT_OWN_HEADERS = """
            WITH input AS (SELECT * FROM unnest($1::int4[], $2::int8[], $3::bytea[], $4::bytea[])
                                         AS i(author, round, header_digest, header)),
                 stored AS (INSERT INTO own_header (author, round, header_digest, header)
                            SELECT * FROM input ON CONFLICT DO NOTHING)
            SELECT i.author, i.round FROM input i
            JOIN own_header o ON o.author = i.author AND o.round = i.round
            WHERE o.header_digest <> i.header_digest""";
    static final String INSERT_VOTES = """
            WITH input AS (SELECT * FROM unnest($1::int4[], $2::int8[], $3::bytea[]) AS i(author, round, header_digest)),
                 stored AS (INSERT INTO vote_record (author, round, header_digest)
                            SELECT * FROM input ON CONFLICT DO NOTHING)
            SELECT i.author, i.round FROM input i
            JOIN vote_record v ON v.author = i.author AND v.round = i.round
            WHERE v.header_digest <> i.header_digest""";

    private final Pool pool;

    PgSafetyRecords(Pool pool) {
        this.pool = pool;
    }

    /** The parameters of {@link #INSERT_OWN_HEADERS}, or null when there are no headers. */
    static Tuple ownHeaderRows(List<Header> hs) {
        if (hs.isEmpty()) return null;
        int n = hs.size();
        Integer[] author = new Integer[n];
        Long[] round = new Long[n];
        Buffer[] digest = new Buffer[n], bytes = new Buffer[n];
        for (int i = 0; i < n; i++) {
            Header h = hs.get(i);
            author[i] = h.author();
            round[i] = h.round();
            digest[i] = Buffer.buffer(h.digest().toBytes());
            bytes[i] = Buffer.buffer(h.toBytes());
        }
        return Tuple.of(author, round, digest, bytes);
    }

    /** The parameters of {@link #INSERT_VOTES}, or null when there are no votes. */
    static Tuple voteRows(List<VoteRecord> vs) {
        if (vs.isEmpty()) return null;
        int n = vs.size();
        Integer[] author = new Integer[n];
        Long[] round = new Long[n];
        Buffer[] digest = new Buffer[n];
        for (int i = 0; i < n; i++) {
            author[i] = vs.get(i).author();
            round[i] = vs.get(i).round();
            digest[i] = Buffer.buffer(vs.get(i).headerDigest().toBytes());
        }
        return Tuple.of(author, round, digest);
    }

    /** The rows of a safety-record insert are the keys stored with another digest: any fails the write. */
    static void refuseConflicts(String what, RowSet<Row> rows) {
        for (Row r : rows) {
            throw new SafetyRecordConflictException("a different " + what + " for author " + r.getInteger(0) + " in round " + r.getLong(1)
                    + " is already stored: this validator would break a safety rule its database holds it to");
        }
    }

    Uni<List<Header>> ownHeaders(long fromRound) {
        return pool.preparedQuery("SELECT header FROM own_header WHERE round >= $1 ORDER BY round, author")
                .execute(Tuple.of(fromRound)).map(rows -> {
                    List<Header> out = new ArrayList<>();
                    for (Row r : rows) out.add(Header.decode(r.getBuffer(0).getBytes(), LIMITS));
                    return out;
                });
    }

    Uni<List<VoteRecord>> votes(long fromRound) {
        return pool.preparedQuery("SELECT author, round, header_digest FROM vote_record WHERE round >= $1 ORDER BY round, author")
                .execute(Tuple.of(fromRound)).map(rows -> {
                    List<VoteRecord> out = new ArrayList<>();
                    for (Row r : rows) out.add(new VoteRecord(r.getInteger(0), r.getLong(1), Digest.of(r.getBuffer(2).getBytes())));
                    return out;
                });
    }
}
