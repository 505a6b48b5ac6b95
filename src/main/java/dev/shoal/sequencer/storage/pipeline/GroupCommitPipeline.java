package dev.shoal.sequencer.storage.pipeline;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.storage.PreparedWrite;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.WriteGroup;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Group commit: concurrent {@link #submit} calls are merged into one {@link WriteGroup} and
 * written in one database transaction, at {@code maxGroupRecords} records or
 * {@code flushInterval} after the first waiting one, whichever comes first. One write is in flight
 * at a time (groups become durable in submission order); meanwhile new submissions wait and go
 * together into the next one, so a slow disk makes groups bigger instead of queues longer. A full
 * next group is encoded ({@link SequencerStore#prepare}) while the current one is written.
 *
 * <p>Each submission's Uni completes only when its records are durable. A failed write is
 * retried with exponential backoff, forever and in order: nothing is dropped, nothing is
 * acknowledged early, and writes are idempotent so a retry of a write that did land is harmless.
 * While writes fail, {@link #healthy()} is false (readiness DOWN, no proposing, no voting). The one
 * exception is a {@link SafetyRecordConflictException}: it fails its submissions at once, never retried.
 *
 * <p>All state lives on one scheduler thread; submit only hands work to it.
 */
public final class GroupCommitPipeline implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GroupCommitPipeline.class);
    private record Pending(WriteGroup group, CompletableFuture<Void> done, long submittedNanos) {}

    /** Submissions merged into one write, encoded by the store. */
    private record Group(List<Pending> batch, WriteGroup merged, int records, PreparedWrite write) {}

    private final SequencerStore store;
    private final PipelineSettings settings;
    private final PipelineListener listener;
    private final ScheduledExecutorService thread;
    /** Submissions handed over by any thread, moved to {@code waiting} by the pipeline thread. */
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private volatile int waitingRecords;
    private volatile boolean healthy = true;
    /** Records in {@code waiting} (queued, not yet in a write); kept so a submission costs O(1). */
    private int queuedRecords;
    private boolean writing;
    private boolean closed;
    /** The next full group, encoded while the current write is in flight; written as soon as it ends. */
    private Group next;
    private ScheduledFuture<?> flushTimer;
    private int attempt;

    public GroupCommitPipeline(SequencerStore store, PipelineSettings settings, PipelineListener listener) {
        this.store = store;
        this.settings = settings;
        this.listener = listener;
        this.thread = DaemonThreads.single("persistence-pipeline");
    }

    /**
     * Queues the group now (eagerly, not on subscription); the returned Uni completes once it is
     * durable. Fails fast with {@link PipelineFullException} when the pipeline already holds its
     * capacity.
     */
    public Uni<Void> submit(WriteGroup group) {
        return Uni.createFrom().completionStage(whenDurable(group));
    }

    /**
     * {@link #submit} without Mutiny, for the hot path: a Uni per submission costs a context
     * propagation capture (seen as the client's top cost in the persistence bench), and the
     * consensus loop wants a future anyway.
     */
    public CompletableFuture<Void> whenDurable(WriteGroup group) {
        if (group.isEmpty()) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> done = new CompletableFuture<>();
        int records = Math.max(1, group.size());
        synchronized (this) {
            if (closed) return CompletableFuture.failedFuture(new IllegalStateException("persistence pipeline is closed"));
            if (waitingRecords + records > settings.capacity() && waitingRecords > 0) {
                return CompletableFuture.failedFuture(new PipelineFullException(waitingRecords, settings.capacity()));
            }
            waitingRecords += records;
        }
        incoming.add(new Pending(group, done, System.nanoTime()));
        // One hand-off per burst, not per submission: waking the pipeline thread for every record
        // cost a context switch each, CPU the database needs on a small machine.
        if (drainScheduled.compareAndSet(false, true)) thread.execute(this::drainIncoming);
        return done;
    }

    /** False while the last write failed and the pipeline is retrying. */
    public boolean healthy() {
        return healthy;
    }

    /** Records submitted and not yet durable. */
    public int waitingRecords() {
        return waitingRecords;
    }

    private void drainIncoming() {
        drainScheduled.set(false); // before draining: a submission racing with the drain schedules another
        Pending p;
        while ((p = incoming.poll()) != null) {
            waiting.add(p);
            queuedRecords += Math.max(1, p.group().size());
        }
        listener.queueDepth(waitingRecords);
        maybeFlush();
    }

    private void maybeFlush() {
        if (waiting.isEmpty()) return;
        if (!writing) {
            if (queuedRecords >= settings.maxGroupRecords() || settings.flushInterval().isZero()) {
                flush();
            } else if (flushTimer == null) {
                flushTimer = thread.schedule(() -> {
                    flushTimer = null;
                    if (!writing) flush();
                }, settings.flushInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        // Encode the next full group while a write is in flight, so the database never waits for
        // the encoder; a partial group keeps filling until the write ends.
        if (writing && next == null && queuedRecords >= settings.maxGroupRecords()) next = takeGroup();
    }

    private void flush() {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        if (waiting.isEmpty()) return;
        write(takeGroup());
    }

    /** Takes the oldest waiting submissions, up to the group limit, merged and encoded. */
    private Group takeGroup() {
        List<Pending> batch = new ArrayList<>();
        WriteGroup merged = new WriteGroup();
        int records = 0;
        while (!waiting.isEmpty() && (batch.isEmpty() || records + waiting.peek().group().size() <= settings.maxGroupRecords())) {
            Pending p = waiting.poll();
            queuedRecords -= Math.max(1, p.group().size());
            batch.add(p);
            merged.addAll(p.group());
            records += Math.max(1, p.group().size());
        }
        return new Group(batch, merged, records, prepare(merged));
    }

    private PreparedWrite prepare(WriteGroup merged) {
        try {
            return store.prepare(merged);
        } catch (RuntimeException e) {
            return () -> Uni.createFrom().failure(e); // failed like a write: retried with backoff
        }
    }

    private void write(Group g) {
        writing = true;
        Uni<Void> w;
        try {
            w = g.write().execute();
        } catch (RuntimeException e) {
            w = Uni.createFrom().failure(e);
        }
        w.subscribe().with(
                ok -> thread.execute(() -> written(g)),
                err -> thread.execute(() -> failed(g, err)));
    }

    private void written(Group g) {
        attempt = 0;
        if (!healthy) {
            healthy = true;
            listener.storageHealth(true);
        }
        synchronized (this) {
            waitingRecords -= g.records();
        }
        listener.flushed(g.records(), g.batch().size(), System.nanoTime() - g.batch().get(0).submittedNanos());
        listener.queueDepth(waitingRecords);
        // A group encoded meanwhile starts before the acknowledgements (they run the submitters'
        // callbacks); one still to be encoded starts after them, which would otherwise wait for it.
        boolean prepared = next != null;
        if (prepared) writeNext();
        for (Pending p : g.batch()) p.done().complete(null);
        if (!prepared) writeNext();
    }

    /** After a write: the group prepared meanwhile, else everything that arrived during it (it has already waited one write). */
    private void writeNext() {
        writing = false;
        if (next != null) {
            Group g = next;
            next = null;
            write(g);
            maybeFlush();
        } else if (!waiting.isEmpty()) {
            flush();
        }
    }

    private void failed(Group g, Throwable err) {
        if (SafetyRecordConflictException.in(err)) {
            // Retrying cannot help, and going on would break a safety rule: these submissions fail (the
            // node stops on it) and the pipeline goes on with the next group.
            listener.writeFailed(err, attempt + 1, -1);
            synchronized (this) {
                waitingRecords -= g.records();
            }
            listener.queueDepth(waitingRecords);
            for (Pending p : g.batch()) p.done().completeExceptionally(err);
            writeNext();
            return;
        }
        attempt++;
        if (healthy) {
            healthy = false;
            listener.storageHealth(false);
        }
        long delay = Math.min(settings.maxBackoff().toMillis(),
                settings.minBackoff().toMillis() * (1L << Math.min(attempt - 1, 20)));
        listener.writeFailed(err, attempt, delay);
        // Encoded again for the retry: a prepared write is executed once.
        thread.schedule(() -> write(new Group(g.batch(), g.merged(), g.records(), prepare(g.merged()))), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops accepting work and waits (up to ten seconds) for submitted records to become durable
     * before stopping the pipeline thread.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waitingRecords > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (waitingRecords > 0) {
            // Not lost (nothing that depends on them left the node), but the operator should know
            // the stop was not clean: recovery starts from what did land.
            LOG.warnf("persistence pipeline stopped with %d records not durable (the database did not take them within 10 s)",
                    waitingRecords);
        }
        thread.shutdownNow();
    }
}
