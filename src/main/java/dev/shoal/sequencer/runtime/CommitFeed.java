package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.SequencerStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The published end of the commit log, for readers and streams: a commit is published once it is
 * durable and its transactions are decided ({@link dev.shoal.sequencer.output.TransactionIndexer}).
 * Readers never see a commit above {@link #publishedIndex()}.
 */
@ApplicationScoped
public class CommitFeed {
    private final BroadcastProcessor<Long> published = BroadcastProcessor.create();
    private final AtomicLong publishedIndex = new AtomicLong();
    private volatile SequencerStore store;
    private volatile long firstHeldCommit = 1;
    private volatile boolean open;

    /** The store is chosen (before recovery): reads answer from it, empty until commits are published. */
    void storeChosen(SequencerStore store) {
        this.store = store;
    }

    /**
     * Called once, when the indexer has opened after recovery. Wakes the streams: one opened while
     * the node was starting waits for the recovered log, and no commit event may come soon.
     */
    void opened(long firstHeldCommit, long publishedIndex) {
        this.firstHeldCommit = firstHeldCommit;
        long end = this.publishedIndex.accumulateAndGet(publishedIndex, Math::max);
        open = true;
        published.onNext(end);
    }

    /** History below this commit is being deleted (retention): reads below it are answered 410 from now on. */
    synchronized void historyPruned(long firstKeptCommit) {
        if (firstKeptCommit > firstHeldCommit) firstHeldCommit = firstKeptCommit;
    }

    /** A commit whose transactions are decided and durable: readers and streams may show it now. */
    void published(CommitTransactions commit) {
        publishedIndex.accumulateAndGet(commit.commitIndex(), Math::max);
        published.onNext(commit.commitIndex());
    }

    /** The store the log is read from; {@link NotReadyException} until the node has recovered. */
    public SequencerStore store() {
        SequencerStore s = store;
        if (s == null) throw new NotReadyException("the node is starting: storage is not open yet");
        return s;
    }

    /**
     * The first commit this validator holds: 1, the one after the checkpoint it joined from, or the
     * first its retention keeps (reads below it are answered 410).
     */
    public long firstHeldCommit() {
        return firstHeldCommit;
    }

    /** True once the node has recovered: {@link #firstHeldCommit()} and {@link #publishedIndex()} are known. */
    public boolean isOpen() {
        return open;
    }

    /** Highest commit index that is durable, its transactions decided, and published. */
    public long publishedIndex() {
        return publishedIndex.get();
    }

    /** Indexes of commits as they are published, and the recovered end when the node opens (live; no replay). */
    public Multi<Long> publishedIndexes() {
        return published;
    }
}
