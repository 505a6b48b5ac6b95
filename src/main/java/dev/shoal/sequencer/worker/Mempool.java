package dev.shoal.sequencer.worker;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.output.TransactionWindow;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The worker of a validator: accepts client transactions, packs them into batches
 * ({@link BatchMaker}), makes each batch durable through the group-commit pipeline and only then
 * (a) acknowledges the transactions it holds and (b) hands the batch to its durable listener (the
 * node gives its digest to the consensus loop). A sealed listener hears of each batch as its write
 * starts (the node pushes it to the other validators' workers then, so their writes overlap ours).
 * An acknowledged transaction is therefore durable and will be proposed, also after a crash
 * (recovery re-proposes durable batches that no certificate references).
 *
 * <p>A resubmitted transaction (same payload digest) within the dedup window is not packed again:
 * it gets the acknowledgement of its first copy. One the committed output already carried (sent
 * to another validator first) is acknowledged as committed and not packed either.
 */
public final class Mempool implements AutoCloseable {
    /** The acknowledgement of a resubmission whose first copy is durable already. */
    private static final CompletableFuture<Void> DURABLE = CompletableFuture.completedFuture(null);

    private final BatchMaker maker;
    private final BatchSettings settings;
    private final GroupCommitPipeline pipeline;
    private final Consumer<Batch> onBatchSealed;
    private final Consumer<Batch> onBatchDurable;
    private final ToLongFunction<Digest> committedIn;
    private final OrderingBacklog backlog;
    private final ScheduledExecutorService thread;
    /** Accepted transactions not yet durable, with their acknowledgement (bounded by maxPendingTransactions). */
    private final Map<Digest, CompletableFuture<Void>> notYetDurable = new HashMap<>();
    /**
     * The last dedupWindow durable transactions' digests (null when the window is 0). Compact and
     * allocated up front (about 48 bytes per entry): a default window of a million would otherwise
     * hold a map entry, a digest object and a future per transaction, about 136 bytes, and grow the
     * heap for as long as it takes to fill.
     */
    private final TransactionWindow durable;
    private final List<CompletableFuture<Void>> openAcks = new ArrayList<>();
    private ScheduledFuture<?> sealTimer;
    /** Written on the worker thread only; volatile for {@link #refuseIfFull} and {@link #pending} on others. */
    private volatile int pending;

    public Mempool(int author, int worker, BatchSettings settings, GroupCommitPipeline pipeline,
                   Consumer<Batch> onBatchDurable) {
        this(author, worker, settings, pipeline, batch -> { }, onBatchDurable, digest -> 0);
    }

    public Mempool(int author, int worker, BatchSettings settings, GroupCommitPipeline pipeline,
                   Consumer<Batch> onBatchSealed, Consumer<Batch> onBatchDurable, ToLongFunction<Digest> committedIn) {
        this(author, worker, settings, pipeline, onBatchSealed, onBatchDurable, committedIn,
                new OrderingBacklog(author, OrderingBacklog.UNBOUNDED));
    }

    /**
     * @param onBatchSealed  a batch was sealed and is being made durable (the node pushes it to the
     *                       other validators' workers now, so their writes overlap ours)
     * @param onBatchDurable the batch is durable here (the node may propose it)
     * @param committedIn    the commit that output a transaction digest, if the committed output
     *                       remembers it (the transaction window); 0 otherwise. Such a transaction
     *                       is acknowledged, not packed: it would be left out of the output anyway.
     * @param backlog        our acknowledged transactions not yet ordered, bounded: beyond its limit
     *                       submissions are refused (the node tells it of every commit)
     */
    public Mempool(int author, int worker, BatchSettings settings, GroupCommitPipeline pipeline,
                   Consumer<Batch> onBatchSealed, Consumer<Batch> onBatchDurable, ToLongFunction<Digest> committedIn,
                   OrderingBacklog backlog) {
        this.onBatchSealed = onBatchSealed;
        this.backlog = backlog;
        this.committedIn = committedIn;
        this.maker = new BatchMaker(author, worker, settings.maxTransactions(), settings.maxBytes());
        this.settings = settings;
        this.pipeline = pipeline;
        this.onBatchDurable = onBatchDurable;
        this.durable = settings.dedupWindow() > 0 ? new TransactionWindow(settings.dedupWindow()) : null;
        this.thread = DaemonThreads.single("worker-0");
    }

    /** Remembers digests already durable (recovery), so their resubmission is acknowledged, not re-packed. */
    public void rememberDurable(List<Digest> digests) {
        thread.execute(() -> digests.forEach(this::rememberDurable));
    }

    private void rememberDurable(Digest d) {
        if (durable != null) durable.addIfAbsent(d, 0);
    }

    /**
     * Accepts transactions; the Uni completes, with what was done to each (in request order), when
     * every one of them is in a durable batch or already committed. Fails with
     * {@link MempoolFullException} when too many are waiting to be made durable or to be ordered.
     */
    public Uni<List<Admission>> submit(List<Transaction> txs) {
        List<Admission> admissions = new ArrayList<>(txs.size());
        CompletableFuture<List<CompletableFuture<Void>>> accepted = CompletableFuture.supplyAsync(() -> accept(txs, admissions), thread);
        return Uni.createFrom().completionStage(accepted)
                .chain(acks -> Uni.createFrom().completionStage(CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]))))
                .replaceWith(() -> admissions);
    }

    /**
     * Throws what a request of one transaction would be refused with now: a cheap check made before
     * a request body is read, so that refusing under overload costs the node little.
     */
    public void refuseIfFull() {
        int p = pending;
        if (p >= settings.maxPendingTransactions()) throw new MempoolFullException(p, settings.maxPendingTransactions());
        if (!backlog.admits(p, 1)) throw MempoolFullException.unordered(backlog.transactions() + p, backlog.limit());
    }

    /** Transactions accepted and not yet durable. */
    public int pending() {
        return pending;
    }

    private List<CompletableFuture<Void>> accept(List<Transaction> txs, List<Admission> admissions) {
        if (pending + txs.size() > settings.maxPendingTransactions()) {
            throw new MempoolFullException(pending, settings.maxPendingTransactions());
        }
        if (!backlog.admits(pending, txs.size())) {
            throw MempoolFullException.unordered(backlog.transactions() + pending, backlog.limit());
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            long committed = committedIn.applyAsLong(tx.digest());
            if (committed > 0) {
                admissions.add(Admission.committed(committed));
                continue;
            }
            CompletableFuture<Void> known = notYetDurable.get(tx.digest());
            if (known == null && durable != null && durable.contains(tx.digest())) known = DURABLE;
            if (known != null) {
                acks.add(known);
                admissions.add(Admission.DUPLICATE);
                continue;
            }
            admissions.add(Admission.ACCEPTED);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            if (durable != null) notYetDurable.put(tx.digest(), ack);
            acks.add(ack);
            openAcks.add(ack);
            pending++;
            if (sealTimer == null) {
                sealTimer = thread.schedule(this::sealOnTimer, settings.maxDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
            maker.add(tx).ifPresent(this::persist);
        }
        return acks;
    }

    private void sealOnTimer() {
        sealTimer = null;
        maker.seal().ifPresent(this::persist);
    }

    private void persist(Batch batch) {
        if (sealTimer != null && maker.isEmpty()) {
            sealTimer.cancel(false);
            sealTimer = null;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(openAcks);
        openAcks.clear();
        Digest digest = batch.digest();
        onBatchSealed.accept(batch);
        submitUntilAccepted(batch, acks, digest);
    }

    private void submitUntilAccepted(Batch batch, List<CompletableFuture<Void>> acks, Digest digest) {
        pipeline.submit(new WriteGroup().batch(batch)).subscribe().with(
                ok -> thread.execute(() -> {
                    pending -= acks.size();
                    backlog.durable(batch); // before the loop hears of it: its commit comes after
                    onBatchDurable.accept(batch);
                    if (durable != null) {
                        for (Transaction t : batch.transactions()) {
                            notYetDurable.remove(t.digest());
                            rememberDurable(t.digest());
                        }
                    }
                    acks.forEach(a -> a.complete(null));
                }),
                err -> thread.schedule(() -> submitUntilAccepted(batch, acks, digest), 5, TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
