package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.List;

/**
 * Transactions packed by one worker of one validator. Headers reference batches by digest;
 * the batch body travels worker to worker and is stored separately.
 *
 * Fields: the committee index of the validator whose worker made the batch, the worker id within
 * that validator, and the transactions in the order they will be committed.
 */
public final class Batch implements Encodable {
    private static final String DOMAIN = "shoal.batch";

    private final int author;
    private final int worker;
    private final List<Transaction> transactions;
    /** Computed once: a batch is hashed by every store, peer and check that touches it. */
    private Digest digest;

    public Batch(int author, int worker, List<Transaction> transactions) {
        if (author < 0 || worker < 0) throw new IllegalArgumentException("author and worker must be non-negative");
        this.author = author;
        this.worker = worker;
        this.transactions = List.copyOf(transactions);
    }

    public int author() { return author; }

    public int worker() { return worker; }

    public List<Transaction> transactions() { return transactions; }

    public Digest digest() {
        Digest d = digest;
        if (d == null) digest = d = Digest.sha256(DOMAIN, toBytes());
        return d;
    }

    /** Sum of payload sizes in bytes. */
    public long payloadBytes() {
        long n = 0;
        for (Transaction t : transactions) n += t.size();
        return n;
    }

    /** The canonical bytes, written into a buffer sized up front (batches are large; growing by doubling copied them repeatedly). */
    @Override
    public byte[] toBytes() {
        long estimate = 16 + payloadBytes() + 8L * transactions.size();
        CanonicalWriter w = new CanonicalWriter((int) Math.min(estimate, Integer.MAX_VALUE - 64));
        encode(w);
        return w.toByteArray();
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u32(author).u32(worker).list(transactions, (w, t) -> t.encode(w));
    }

    public static Batch decode(CanonicalReader in) {
        int author = in.u32AsInt("batch author");
        int worker = in.u32AsInt("batch worker");
        List<Transaction> txs = in.list(Transaction::decode, 8);
        return new Batch(author, worker, txs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && author == b.author && worker == b.worker && transactions.equals(b.transactions);
    }

    @Override
    public int hashCode() {
        return (31 * author + worker) * 31 + transactions.hashCode();
    }

    @Override
    public String toString() {
        return "Batch[author=" + author + ", worker=" + worker + ", transactions=" + transactions.size() + "]";
    }
}
