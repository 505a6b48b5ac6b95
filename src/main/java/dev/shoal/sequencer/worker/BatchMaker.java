package dev.shoal.sequencer.worker;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Packs client transactions into batches for one worker: a batch is sealed when it reaches
 * {@code maxTransactions} or {@code maxBytes} of payload (size trigger), or when its owner calls
 * {@link #seal()} because the oldest transaction waited long enough (time trigger). Pure and
 * single-threaded; the owner serialises calls.
 */
public final class BatchMaker {
    private final int author;
    private final int worker;
    private final int maxTransactions;
    private final long maxBytes;
    private final List<Transaction> open = new ArrayList<>();
    private long openBytes;

    public BatchMaker(int author, int worker, int maxTransactions, long maxBytes) {
        if (maxTransactions < 1 || maxBytes < 1) throw new IllegalArgumentException("batch limits must be positive");
        this.author = author;
        this.worker = worker;
        this.maxTransactions = maxTransactions;
        this.maxBytes = maxBytes;
    }

    /** Adds a transaction; returns the batch it completed, if it completed one. */
    public Optional<Batch> add(Transaction tx) {
        open.add(tx);
        openBytes += tx.size();
        if (open.size() >= maxTransactions || openBytes >= maxBytes) return Optional.of(sealNow());
        return Optional.empty();
    }

    /** Seals the open batch if it holds anything (the time trigger). */
    public Optional<Batch> seal() {
        return open.isEmpty() ? Optional.empty() : Optional.of(sealNow());
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    private Batch sealNow() {
        Batch b = new Batch(author, worker, open);
        open.clear();
        openBytes = 0;
        return b;
    }
}
