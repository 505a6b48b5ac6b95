package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.storage.CertificateQuery;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.StoredCertificate;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The certificate table: its rows as the write path stores and marks them, lookups, and the
 * decoding of a stored certificate. The recovery pages are {@link PgCertificatePages}.
 */
final class PgCertificates {
    private static final CodecLimits LIMITS = CodecLimits.DEFAULT;

    /** Inserts, and counts in the metadata only the rows it inserted (a retried group counts nothing twice). */
    static final String INSERT = """
            WITH stored AS (INSERT INTO certificate (digest, epoch, round, author, header, signer_bitmap, signatures)
                            SELECT * FROM unnest($1::bytea[], $2::int8[], $3::int8[], $4::int4[], $5::bytea[], $6::bytea[], $7::bytea[])
                            ON CONFLICT DO NOTHING
                            RETURNING 1)
            UPDATE consensus_metadata SET total_certificates = total_certificates + (SELECT count(*) FROM stored)
            WHERE id = 'current'""";
    static final String MARK_COMMITTED = """
            UPDATE certificate SET committed = TRUE, commit_index = m.i
            FROM unnest($1::bytea[], $2::int8[]) AS m(d, i)
            WHERE certificate.digest = m.d AND NOT certificate.committed""";

    private final Pool pool;
    private final Vertx vertx;
    private final CertificateRepository repository;

    PgCertificates(Pool pool, Vertx vertx, CertificateRepository repository) {
        this.pool = pool;
        this.vertx = vertx;
        this.repository = repository;
    }

    /** The parameters of {@link #INSERT}, or null when there are no certificates. */
    static Tuple rows(List<Certificate> cs) {
        if (cs.isEmpty()) return null;
        int n = cs.size();
        Buffer[] digest = new Buffer[n], header = new Buffer[n], bitmap = new Buffer[n], sigs = new Buffer[n];
        Long[] epoch = new Long[n], round = new Long[n];
        Integer[] author = new Integer[n];
        for (int i = 0; i < n; i++) {
            Certificate c = cs.get(i);
            digest[i] = Buffer.buffer(c.digest().toBytes());
            epoch[i] = c.epoch();
            round[i] = c.round();
            author[i] = c.author();
            header[i] = Buffer.buffer(c.header().toBytes());
            bitmap[i] = Buffer.buffer(c.signers().toBytes());
            Buffer s = Buffer.buffer(64 * c.signatures().size());
            for (Signature sig : c.signatures()) s.appendBytes(sig.toBytes());
            sigs[i] = s;
        }
        return Tuple.tuple(List.of(digest, epoch, round, author, header, bitmap, sigs));
    }

    /** The commit marks of the commits' certificates, set in the same transaction (safety rule 4). */
    static Tuple markRows(List<CommitRecord> cs) {
        if (cs.isEmpty()) return null;
        List<Buffer> digests = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (CommitRecord c : cs) {
            for (Digest d : c.certificateDigests()) {
                digests.add(Buffer.buffer(d.toBytes()));
                indexes.add(c.index());
            }
        }
        return Tuple.of(digests.toArray(new Buffer[0]), indexes.toArray(new Long[0]));
    }

    static Certificate toCertificate(byte[] header, byte[] bitmap, byte[] signatures) {
        return toCertificate(header, bitmap, signatures, null);
    }

    /** @param parents maps each parent digest to an equal one already in memory (see Header.decode), or null */
    static Certificate toCertificate(byte[] header, byte[] bitmap, byte[] signatures, UnaryOperator<Digest> parents) {
        Header h = parents == null ? Header.decode(header, LIMITS) : Header.decode(header, LIMITS, parents);
        SignerBitmap s = SignerBitmap.fromBytes(bitmap);
        if (signatures.length % Signature.LENGTH != 0) {
            throw new CodecException("stored signatures of " + h + " are " + signatures.length + " bytes, not a multiple of "
                    + Signature.LENGTH);
        }
        Signature[] sigs = new Signature[signatures.length / Signature.LENGTH];
        CanonicalReader in = new CanonicalReader(signatures, LIMITS);
        for (int i = 0; i < sigs.length; i++) sigs[i] = Signature.decode(in);
        return new Certificate(h, s, java.util.Arrays.asList(sigs));
    }

    private static StoredCertificate toStored(CertificateEntity e) {
        return new StoredCertificate(toCertificate(e.header, e.signerBitmap, e.signatures),
                e.commitIndex == null ? 0 : e.commitIndex);
    }

    Uni<Optional<StoredCertificate>> certificate(Digest digest) {
        return VertxContexts.withPanacheSession(vertx, () -> repository.byDigest(digest.toBytes()))
                .map(e -> Optional.ofNullable(e).map(PgCertificates::toStored));
    }

    Uni<List<StoredCertificate>> certificates(CertificateQuery q) {
        return VertxContexts.withPanacheSession(vertx, () -> repository.search(q.round(), q.author(), q.committed(), q.limit()))
                .map(list -> list.stream().map(PgCertificates::toStored).toList());
    }

    Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests) {
        if (digests.isEmpty()) return Uni.createFrom().item(List.of());
        Buffer[] ds = digests.stream().map(d -> Buffer.buffer(d.toBytes())).toArray(Buffer[]::new);
        return pool.preparedQuery("SELECT header, signer_bitmap, signatures, commit_index FROM certificate WHERE digest = ANY($1)")
                .execute(Tuple.of(ds)).map(rows -> {
                    List<StoredCertificate> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        Long idx = r.getLong(3);
                        out.add(new StoredCertificate(toCertificate(r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes(),
                                r.getBuffer(2).getBytes()), idx == null ? 0 : idx));
                    }
                    return out;
                });
    }

    Uni<Long> certificateCount() {
        // Raw client: recovery calls this first, before Hibernate Reactive has warmed up (seconds).
        return pool.query("SELECT count(*) FROM certificate").execute().map(rows -> rows.iterator().next().getLong(0));
    }
}
