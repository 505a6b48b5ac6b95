package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.List;

/**
 * Transactions packed by one worker of one validator. Headers reference batches by digest;
 * the batch body travels worker to worker and is stored separately.
 *
 * @param author       committee index of the validator whose worker made the batch
 * @param worker       worker id within that validator
 * @param transactions the transactions, in the order they will be committed
 */
public record Batch(int author, int worker, List<Transaction> transactions) implements Encodable {
    private static final String DOMAIN = "shoal.batch";

    public Batch {
        if (author < 0 || worker < 0) throw new IllegalArgumentException("author and worker must be non-negative");
        transactions = List.copyOf(transactions);
    }

    public Digest digest() {
        return Digest.sha256(DOMAIN, toBytes());
    }

    /** Sum of payload sizes in bytes. */
    public long payloadBytes() {
        long n = 0;
        for (Transaction t : transactions) n += t.size();
        return n;
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
}
