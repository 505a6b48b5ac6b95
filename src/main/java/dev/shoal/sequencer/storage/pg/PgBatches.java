package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.BatchPayloads;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.StoredBatch;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The batch table: rows and links as the write path stores them, and lookups served from the cache first. */
final class PgBatches {
    private static final CodecLimits LIMITS = CodecLimits.DEFAULT;

    /** Returns the transaction count of each batch stored now (not of one already there). */
    /** Inserts, and counts in the metadata only the batches (and their transactions) it inserted. */
    static final String INSERT = """
            WITH stored AS (INSERT INTO batch (digest, author, worker, transaction_count, size_bytes, codec, payload)
                            SELECT * FROM unnest($1::bytea[], $2::int4[], $3::int4[], $4::int4[], $5::int8[], $6::text[], $7::bytea[])
                            ON CONFLICT DO NOTHING
                            RETURNING transaction_count)
            UPDATE consensus_metadata SET total_batches = total_batches + (SELECT count(*) FROM stored),
                                          total_transactions = total_transactions + (SELECT coalesce(sum(transaction_count), 0) FROM stored)
            WHERE id = 'current'""";
    static final String LINK = """
            UPDATE batch SET certificate_digest = l.c
            FROM unnest($1::bytea[], $2::bytea[]) AS l(b, c)
            WHERE batch.digest = l.b AND batch.certificate_digest IS NULL""";

    private final Pool pool;
    private final Vertx vertx;
    private final BatchRepository repository;
    private final RecentBatches recent;

    PgBatches(Pool pool, Vertx vertx, BatchRepository repository, RecentBatches recent) {
        this.pool = pool;
        this.vertx = vertx;
        this.repository = repository;
        this.recent = recent;
    }

    /** The parameters of {@link #INSERT}, or null when there are no batches; encodes and compresses the payloads. */
    static Tuple rows(List<Batch> bs) {
        if (bs.isEmpty()) return null;
        int n = bs.size();
        Buffer[] digest = new Buffer[n], payload = new Buffer[n];
        Integer[] author = new Integer[n], worker = new Integer[n], txCount = new Integer[n];
        Long[] size = new Long[n];
        String[] codec = new String[n];
        for (int i = 0; i < n; i++) {
            Batch b = bs.get(i);
            BatchPayloads.Encoded enc = BatchPayloads.encode(b);
            digest[i] = Buffer.buffer(b.digest().toBytes());
            author[i] = b.author();
            worker[i] = b.worker();
            txCount[i] = b.transactions().size();
            size[i] = b.payloadBytes();
            codec[i] = enc.codec();
            payload[i] = Buffer.buffer(enc.bytes());
        }
        return Tuple.tuple(List.of(digest, author, worker, txCount, size, codec, payload));
    }

    /** The parameters of {@link #LINK} (batch digest, certificate digest), or null when there are no links. */
    static Tuple linkRows(List<Map.Entry<Digest, Digest>> links) {
        if (links.isEmpty()) return null;
        Buffer[] b = new Buffer[links.size()], c = new Buffer[links.size()];
        for (int i = 0; i < links.size(); i++) {
            b[i] = Buffer.buffer(links.get(i).getKey().toBytes());
            c[i] = Buffer.buffer(links.get(i).getValue().toBytes());
        }
        return Tuple.of(b, c);
    }

    private static StoredBatch toStored(BatchEntity e) {
        return new StoredBatch(Digest.of(e.digest), BatchPayloads.decode(e.codec, e.payload, LIMITS),
                Optional.ofNullable(e.certificateDigest).map(Digest::of));
    }

    Uni<Optional<StoredBatch>> batch(Digest digest) {
        StoredBatch cached = recent.get(digest);
        if (cached != null) return Uni.createFrom().item(Optional.of(cached));
        return VertxContexts.withPanacheSession(vertx, () -> repository.byDigest(digest.toBytes()))
                .map(e -> Optional.ofNullable(e).map(PgBatches::toStored));
    }

    Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests) {
        if (digests.isEmpty()) return Uni.createFrom().item(List.of());
        List<StoredBatch> cached = new ArrayList<>(digests.size());
        List<Digest> missing = new ArrayList<>();
        for (Digest d : new LinkedHashSet<>(digests)) { // each batch once, as the query answers
            StoredBatch b = recent.get(d);
            if (b != null) cached.add(b);
            else missing.add(d);
        }
        if (missing.isEmpty()) return Uni.createFrom().item(cached);
        Buffer[] ds = missing.stream().map(d -> Buffer.buffer(d.toBytes())).toArray(Buffer[]::new);
        return pool.preparedQuery("SELECT digest, codec, payload, certificate_digest FROM batch WHERE digest = ANY($1)")
                .execute(Tuple.of(ds)).map(rows -> {
                    List<StoredBatch> out = new ArrayList<>(cached.size() + rows.size());
                    out.addAll(cached);
                    for (Row r : rows) {
                        var link = r.getBuffer(3);
                        out.add(new StoredBatch(Digest.of(r.getBuffer(0).getBytes()),
                                BatchPayloads.decode(r.getString(1), r.getBuffer(2).getBytes(), LIMITS),
                                Optional.ofNullable(link).map(b -> Digest.of(b.getBytes()))));
                    }
                    return out;
                });
    }

    Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        return VertxContexts.withPanacheSession(vertx, () -> repository.summaries(author, unreferencedOnly, limit))
                .map(rows -> rows.stream()
                        .map(r -> new BatchSummary(Digest.of(r.digest()), r.author(), r.worker(), r.transactionCount(),
                                r.sizeBytes(), Optional.ofNullable(r.certificateDigest()).map(Digest::of)))
                        .toList());
    }

    Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) {
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
}
