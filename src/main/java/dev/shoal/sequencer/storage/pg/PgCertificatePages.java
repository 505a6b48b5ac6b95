package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** The keyset pages of certificates recovery streams with, each read ahead of its caller. */
final class PgCertificatePages {
    private static final String CERTIFICATE_PAGE = """
            SELECT header, signer_bitmap, signatures, round, author FROM certificate
            WHERE (round, author) > ($1, $2) ORDER BY round, author LIMIT $3""";

    private final Pool pool;
    /** The certificate page read started ahead of its caller, if any (see page). */
    private final AtomicReference<PageRead> readAhead = new AtomicReference<>();

    PgCertificatePages(Pool pool) {
        this.pool = pool;
    }

    /** Drops the read-ahead: called by every write, so a page read before it is not handed out after it. */
    void discardReadAhead() {
        readAhead.set(null);
    }

    /**
     * One keyset page, in (round, author) order. Recovery reads every stored certificate this
     * way, one page after another, and each page costs a round trip plus decoding (parsing and
     * hashing every header, the bulk of recovery's CPU). So as soon as a full page's rows have
     * arrived, the read of the page after it starts (read-ahead): the caller's next call, for
     * exactly that key and limit, takes it instead of querying, and its decoding (on a worker
     * thread) has often finished by then. The database is then read and decoded while the caller
     * consumes this page.
     *
     * <p>One read-ahead is kept, the latest. Every write discards it, so a page never predates a
     * write this store was asked to make before the call; otherwise it is as fresh as a page
     * read when the previous page arrived, which is what keyset paging without a snapshot gives
     * anyway.
     */
    Uni<List<Certificate>> page(long afterRound, int afterAuthor, int limit) {
        PageRead ahead = readAhead.getAndSet(null);
        PageRead read = ahead != null && ahead.isFor(afterRound, afterAuthor, limit) && !ahead.raw().isCompletedExceptionally()
                ? ahead : startPageRead(afterRound, afterAuthor, limit, null);
        read.raw().thenAccept(raw -> {
            // A short page is the last one: nothing to read ahead.
            if (raw.size() == limit) readAhead.set(startPageRead(raw.lastRound(), raw.lastAuthor(), limit, read.decoded()));
        });
        return Uni.createFrom().completionStage(read.decoded());
    }

    /** A page read in flight: its rows as they arrived, then decoded on a worker thread. */
    private record PageRead(long afterRound, int afterAuthor, int limit, CompletableFuture<RawPage> raw,
                            CompletableFuture<List<Certificate>> decoded) {
        boolean isFor(long round, int author, int lim) {
            return afterRound == round && afterAuthor == author && limit == lim;
        }
    }

    /** A page's columns copied off the connection's buffers (the event loop does only this), not yet decoded. */
    private record RawPage(byte[][] headers, byte[][] bitmaps, byte[][] signatures, long lastRound, int lastAuthor) {
        int size() {
            return headers.length;
        }
    }

    /**
     * @param previous the decoding of the page before this one when this read continues a scan
     *                 (its certificates are the parents of this page's first round), else null
     */
    private PageRead startPageRead(long afterRound, int afterAuthor, int limit, CompletableFuture<List<Certificate>> previous) {
        CompletableFuture<RawPage> raw = pool.preparedQuery(CERTIFICATE_PAGE).execute(Tuple.of(afterRound, afterAuthor, limit))
                .map(PgCertificatePages::rawPage).subscribeAsCompletionStage();
        // Pages decode independently, so two can be decoded at once; the previous page lends its
        // digests only if it is decoded by the time this one starts.
        CompletableFuture<List<Certificate>> decoded = raw.thenApplyAsync(r -> decodePage(r, decodedOrNone(previous)),
                io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        return new PageRead(afterRound, afterAuthor, limit, raw, decoded);
    }

    private static RawPage rawPage(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        int n = rows.size();
        byte[][] headers = new byte[n][], bitmaps = new byte[n][], signatures = new byte[n][];
        long lastRound = 0;
        int lastAuthor = 0;
        int i = 0;
        for (Row row : rows) {
            io.vertx.sqlclient.Row r = row.getDelegate();
            headers[i] = bytes(r.getBuffer(0));
            bitmaps[i] = bytes(r.getBuffer(1));
            signatures[i] = bytes(r.getBuffer(2));
            lastRound = r.getLong(3);
            lastAuthor = r.getInteger(4);
            i++;
        }
        return new RawPage(headers, bitmaps, signatures, lastRound, lastAuthor);
    }

    /**
     * A bytea column's bytes. The client decodes each bytea value into a fresh heap buffer of
     * exactly its length; that buffer's array is taken as is (the row is dropped right after),
     * which spares a copy of every certificate. Anything else is copied.
     */
    private static byte[] bytes(io.vertx.core.buffer.Buffer b) {
        io.netty.buffer.ByteBuf buf = b.getByteBuf();
        if (buf.hasArray() && buf.arrayOffset() == 0 && buf.readerIndex() == 0 && buf.array().length == buf.readableBytes()) {
            return buf.array();
        }
        return b.getBytes();
    }

    private static List<Certificate> decodedOrNone(CompletableFuture<List<Certificate>> page) {
        return page != null && page.isDone() && !page.isCompletedExceptionally() ? page.join() : List.of();
    }

    /**
     * Decodes a page. A parent digest is replaced by the digest object of its certificate when
     * that certificate is in this page or in previous (parents are one round back, so only a
     * page's first round can miss), so a replay holding every certificate keeps each digest once
     * rather than once per child as well (about a third of a certificate's heap in a committee of
     * ten): less for the garbage collector to copy while a large history is loaded.
     */
    private static List<Certificate> decodePage(RawPage raw, List<Certificate> previous) {
        Map<Digest, Digest> known = new java.util.HashMap<>(2 * (previous.size() + raw.size()));
        for (Certificate c : previous) known.put(c.digest(), c.digest());
        UnaryOperator<Digest> shared = d -> known.getOrDefault(d, d);
        List<Certificate> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Certificate c = PgCertificates.toCertificate(raw.headers()[i], raw.bitmaps()[i], raw.signatures()[i], shared);
            known.put(c.digest(), c.digest());
            out.add(c);
        }
        return out;
    }
}
