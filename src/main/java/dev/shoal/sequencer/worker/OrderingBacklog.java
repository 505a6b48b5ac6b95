package dev.shoal.sequencer.worker;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This validator's transactions that are durable (acknowledged) and not yet ordered: its own
 * batches from the moment they are durable until a commit lists them. When clients offer more than
 * the committee orders, this is where the surplus piles up (batches wait for headers, headers for
 * rounds), so admission is bounded here: beyond {@code limit} the worker refuses new transactions
 * (503 overloaded) instead of acknowledging ones whose latency would grow without bound. The limit
 * over the validator's share of the ordered rate bounds the queueing delay of what it admits.
 *
 * <p>A batch proposed again after a restart was never counted here (the count starts at zero), so
 * the bound errs towards admitting. Batches are removed by digest when a commit lists them, also
 * when the output skips them as already ordered, so a count cannot leak while the committee is live.
 */
public final class OrderingBacklog {
    /** No bound (tools and tests that do not run a committee). */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private final int self;
    private final long limit;
    private final ConcurrentHashMap<Digest, Integer> batches = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();

    /**
     * @param self  this validator's index: only its batches count
     * @param limit unordered transactions beyond which new ones are refused
     */
    public OrderingBacklog(int self, long limit) {
        if (limit < 1) throw new IllegalArgumentException("the ordering backlog limit must be positive, not " + limit);
        this.self = self;
        this.limit = limit;
    }

    /** One of our batches is durable, before it is handed to the consensus loop (so its commit comes after). */
    void durable(Batch batch) {
        if (batches.putIfAbsent(batch.digest(), batch.transactions().size()) == null) {
            transactions.addAndGet(batch.transactions().size());
        }
    }

    /** A commit was published: every batch of ours it lists is ordered (output now, or earlier and skipped). */
    public void committed(CommittedSubDag subDag) {
        for (Certificate c : subDag.certificates()) {
            if (c.author() != self) continue;
            for (Digest d : c.header().batchDigests()) {
                Integer n = batches.remove(d);
                if (n != null) transactions.addAndGet(-n);
            }
        }
    }

    /** Our acknowledged transactions not yet ordered. */
    public long transactions() {
        return transactions.get();
    }

    public long limit() {
        return limit;
    }

    /**
     * True when {@code more} transactions (besides {@code notDurable} ones being made durable) fit.
     * An empty backlog admits any request, so one larger than the limit is not refused forever.
     */
    boolean admits(long notDurable, long more) {
        long waiting = transactions.get() + notDurable;
        return waiting == 0 || waiting + more <= limit;
    }
}
