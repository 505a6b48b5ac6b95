package dev.shoal.sequencer.output;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Applies transaction-level exactly-once output ({@link TransactionOutput}) to every durable
 * commit, in commit order, stores each decision ({@link CommitTransactions}) and only then
 * publishes the commit: no reader sees a commit before its transactions are decided and durable.
 * Its own thread reads the commits' batches (fresh ones come from the store's batch cache),
 * decides a group of commits and stores it in one statement; a failed write is retried with the
 * same rows (the decision is made once), never skipped.
 */
public final class TransactionIndexer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransactionIndexer.class);
    private static final int MAX_GROUP = 64;
    private static final int CATCH_UP_PAGE = 100;

    private record Committed(long index, List<Digest> outputBatches) {}

    /** A committed batch the store does not hold (yet): the read is retried, never the commit skipped. */
    private static final class MissingBatch extends RuntimeException {
        MissingBatch(String message) {
            super(message);
        }
    }

    private final SequencerStore store;
    private final TransactionWindow window;
    private final Duration timeout;
    private final Consumer<CommitTransactions> published;
    private final LinkedBlockingQueue<Committed> queue = new LinkedBlockingQueue<>();
    private final AtomicLong lastPublished = new AtomicLong();
    private final Counter outputCounter;
    private final Counter skippedCounter;
    private TransactionOutput output;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile Consumer<Throwable> onFatal = e -> { };

    /**
     * @param published hears each decided commit once its row is durable, in commit order (on the
     *                  indexer's thread)
     */
    public TransactionIndexer(SequencerStore store, TransactionWindow window, Duration timeout, MeterRegistry registry,
                              Consumer<CommitTransactions> published) {
        this.store = store;
        this.window = window;
        this.timeout = timeout;
        this.published = published;
        this.outputCounter = Counter.builder("sequencer.output.transactions")
                .description("Transactions the committed output carried").register(registry);
        this.skippedCounter = Counter.builder("sequencer.output.transactions.skipped")
                .description("Transaction listings left out of the output: the committed output already carried them within the window")
                .register(registry);
        registry.gauge("sequencer.output.published.commit", lastPublished);
    }

    /**
     * Blocking, before the loop opens: rebuilds the window from the stored rows, then decides every
     * stored commit that has no row yet (a crash between a commit and its row; a log older than
     * this table). Starts the indexer's thread. Returns the last commit decided, which is published.
     *
     * @param firstHeldCommit the first commit this log holds (above 1 after joining from a checkpoint)
     */
    public long open(long lastStoredCommit, long firstHeldCommit) {
        // Rows never run ahead of the log (the rows of a joiner's window end at the commit before its first).
        long logEnd = Math.max(lastStoredCommit, firstHeldCommit - 1);
        long dropped = store.deleteCommitTransactionsAbove(logEnd).await().atMost(timeout);
        if (dropped > 0) LOG.warnf("Dropped the transaction decisions of %d commits above the commit log's end, %d: they are decided again", dropped, logEnd);
        List<CommitTransactions> tail = store.commitTransactionsTail(logEnd, window.capacity()).await().atMost(timeout);
        output = new TransactionOutput(window, tail);
        long next = Math.max(output.lastCommit() + 1, firstHeldCommit);
        if (output.lastCommit() == 0 && next > 1) {
            LOG.warnf("This log starts at commit %d (joined from a checkpoint): transactions committed before it are not in the"
                    + " exactly-once window", next);
        }
        long behind = lastStoredCommit - next + 1;
        if (behind > 0) LOG.infof("Deciding the transactions of %d stored commits (%d..%d)", behind, next, lastStoredCommit);
        long done = 0;
        while (next <= lastStoredCommit) {
            List<CommitRecord> page = store.commits(next, CATCH_UP_PAGE).await().atMost(timeout);
            if (!page.isEmpty() && page.get(0).index() > next && output.lastCommit() == 0) {
                // A log pruned before this table existed: the window starts where the log does.
                LOG.warnf("The commit log starts at commit %d (pruned): transactions committed before it are not in the"
                        + " exactly-once window", page.get(0).index());
                next = page.get(0).index();
            }
            if (page.isEmpty() || page.get(0).index() != next) {
                throw new IllegalStateException("the commit log has no commit " + next + " below its last, " + lastStoredCommit);
            }
            List<Committed> group = new ArrayList<>(page.size());
            for (CommitRecord r : page) {
                if (r.index() > lastStoredCommit) break;
                group.add(new Committed(r.index(), outputBatches(r)));
            }
            List<CommitTransactions> rows = decide(group);
            store.saveCommitTransactions(rows).await().atMost(timeout);
            count(rows);
            next += group.size();
            done += group.size();
            if (behind > 1_000 && done % 10_000 < group.size()) LOG.infof("Decided %d of %d commits", done, behind);
        }
        lastPublished.set(output.lastCommit());
        Thread t = new Thread(this::run, "transaction-indexer");
        t.setDaemon(true);
        thread = t;
        t.start();
        return output.lastCommit();
    }

    /** Called once if the indexer stops on an error it cannot retry (the node exits). */
    public void onFatal(Consumer<Throwable> handler) {
        this.onFatal = handler;
    }

    /** A durable commit, handed over in commit order (the driver's commit sink). */
    public void committed(long index, List<Digest> outputBatches) {
        queue.add(new Committed(index, List.copyOf(outputBatches)));
    }

    /** The highest commit whose transactions are decided, durable and published. */
    public long lastPublished() {
        return lastPublished.get();
    }

    /** The commit that output this transaction, if it is in the window; 0 otherwise. */
    public long committedIn(Digest transaction) {
        return window.commitOf(transaction);
    }

    private void run() {
        List<Committed> group = new ArrayList<>(MAX_GROUP);
        while (!closed) {
            try {
                group.clear();
                group.add(queue.take());
                queue.drainTo(group, MAX_GROUP - 1);
                List<CommitTransactions> rows = untilDone("read the batches of commits " + group.get(0).index() + "..", () -> decide(group));
                untilDone("store the transactions of commits " + rows.get(0).commitIndex() + "..", () -> {
                    store.saveCommitTransactions(rows).await().atMost(timeout);
                    return null;
                });
                count(rows);
                for (CommitTransactions r : rows) {
                    lastPublished.set(r.commitIndex());
                    published.accept(r);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "The transaction indexer failed; no later commit can be published: %s", e.getMessage());
                onFatal.accept(e);
                return;
            }
        }
    }

    private interface Step<T> {
        T run();
    }

    /** Retries a store step until it succeeds: a commit's decision is never skipped. */
    private <T> T untilDone(String what, Step<T> step) throws InterruptedException {
        long backoffMs = 10;
        while (true) {
            try {
                return step.run();
            } catch (RuntimeException e) {
                if (closed) throw new InterruptedException("closed");
                if (e instanceof IllegalStateException) throw e;
                LOG.warnf("Could not %s (%s); retrying in %d ms", what, e.getMessage(), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(2_000, backoffMs * 2);
            }
        }
    }

    private List<CommitTransactions> decide(List<Committed> group) {
        LinkedHashSet<Digest> wanted = new LinkedHashSet<>();
        for (Committed c : group) wanted.addAll(c.outputBatches());
        Map<Digest, Batch> batches = new HashMap<>();
        if (!wanted.isEmpty()) {
            for (StoredBatch b : store.batchesByDigest(List.copyOf(wanted)).await().atMost(timeout)) batches.put(b.digest(), b.batch());
        }
        // Checked before the window changes, so the step can be retried as it is.
        for (Digest d : wanted) {
            if (!batches.containsKey(d)) throw new MissingBatch("batch " + d + " of a commit is not stored here");
        }
        List<CommitTransactions> rows = new ArrayList<>(group.size());
        for (Committed c : group) rows.add(output.decide(c.index(), c.outputBatches(), batches));
        return rows;
    }

    private void count(List<CommitTransactions> rows) {
        for (CommitTransactions r : rows) {
            outputCounter.increment(r.output().size());
            skippedCounter.increment(r.skipped().size());
        }
    }

    /** A commit stored before the log recorded its output batches output each listed batch once. */
    private List<Digest> outputBatches(CommitRecord r) {
        if (r.outputBatches() != null) return r.outputBatches();
        Map<Digest, Certificate> certs = new HashMap<>();
        for (StoredCertificate s : store.certificatesByDigest(r.certificateDigests()).await().atMost(timeout)) {
            certs.put(s.certificate().digest(), s.certificate());
        }
        LinkedHashSet<Digest> listed = new LinkedHashSet<>();
        for (Digest d : r.certificateDigests()) {
            Certificate c = certs.get(d);
            if (c == null) throw new IllegalStateException("commit " + r.index() + " names certificate " + d + " that is not stored here");
            listed.addAll(c.header().batchDigests());
        }
        return List.copyOf(listed);
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }
}
