package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic client load for a synthetic history: for each (validator, round), a few batches of
 * a few transactions. Each payload starts with a readable tag (seed, validator, round, batch,
 * transaction), so payloads are unique across the history, followed by seeded random bytes.
 */
public final class SyntheticBatches {
    private final long seed;
    private final int batchesPerRound;
    private final int transactionsPerBatch;
    private final int payloadBytes;

    public SyntheticBatches(long seed, int batchesPerRound, int transactionsPerBatch, int payloadBytes) {
        this.seed = seed;
        this.batchesPerRound = batchesPerRound;
        this.transactionsPerBatch = transactionsPerBatch;
        this.payloadBytes = payloadBytes;
    }

    /** The batches validator {@code author}'s worker 0 seals before proposing {@code round}. */
    public List<Batch> forRound(int author, long round) {
        if (batchesPerRound == 0) return List.of();
        Random r = new Random(seed * 1_000_003L + author * 7_919L + round);
        List<Batch> out = new ArrayList<>(batchesPerRound);
        for (int b = 0; b < batchesPerRound; b++) {
            List<Transaction> txs = new ArrayList<>(transactionsPerBatch);
            for (int t = 0; t < transactionsPerBatch; t++) {
                byte[] tag = ("s" + seed + "/v" + author + "/r" + round + "/b" + b + "/t" + t + ":").getBytes(StandardCharsets.US_ASCII);
                byte[] payload = new byte[Math.max(payloadBytes, tag.length)];
                System.arraycopy(tag, 0, payload, 0, tag.length);
                for (int i = tag.length; i < payload.length; i++) payload[i] = (byte) ('a' + r.nextInt(26));
                txs.add(Transaction.of(payload));
            }
            out.add(new Batch(author, 0, txs));
        }
        return out;
    }
}
