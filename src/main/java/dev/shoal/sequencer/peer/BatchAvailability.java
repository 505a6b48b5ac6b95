package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The worker rule of a committee: a validator votes for a header, and lets a certificate into its
 * DAG, only once every batch it references is durable here — so every commit it publishes can be
 * served with its transactions, and a certificate it helped form names only data that f+1 honest
 * validators hold. Batches normally arrive first, pushed by their author's worker; missing ones are
 * asked of the peers likely to hold them (the author, then the others in turn), persisted when they
 * come (a batch's digest is the hash of its content, so any peer's copy is as good as the author's)
 * and the waiting message goes on. Pushed batches no certificate has named yet are bounded per author
 * ({@link PushQuota}). One thread owns the state; callers get futures.
 */
public final class BatchAvailability implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchAvailability.class);
    /** Recently durable digests remembered without asking the store. */
    private static final int KNOWN_CAPACITY = 200_000;

    /** Sends a batch request to a peer. */
    @FunctionalInterface
    public interface Asker {
        void ask(int peer, List<Digest> digests);
    }

    /** Thrown (inside the future) when a batch cannot be had: too many waits, or every attempt failed. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Wanted {
        final CompletableFuture<Void> durable = new CompletableFuture<>();
        final List<Integer> sources;
        int attempts;
        long askedAtMs = -1;

        Wanted(List<Integer> sources) {
            this.sources = sources;
        }
    }

    private final Committee committee;
    private final SequencerStore store;
    private final GroupCommitPipeline pipeline;
    private final Asker asker;
    private final SyncSettings settings;
    private final LongSupplier clock;
    private final SyncMetrics metrics;
    private final ScheduledExecutorService thread;
    private final Map<Digest, Boolean> known = new LinkedHashMap<>(1 << 16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
            return size() > KNOWN_CAPACITY;
        }
    };
    private final Map<Digest, Wanted> wanted = new HashMap<>();
    private final Set<Digest> persisting = new HashSet<>();
    private final PushQuota quota;
    private volatile boolean closed;

    public BatchAvailability(Committee committee, SequencerStore store, GroupCommitPipeline pipeline, Asker asker,
                             SyncSettings settings, LongSupplier clock, SyncMetrics metrics) {
        this.committee = committee;
        this.store = store;
        this.pipeline = pipeline;
        this.asker = asker;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.quota = new PushQuota(settings.maxUnreferencedBytesPerPeer(), settings.unreferencedTtl().toMillis());
        this.thread = DaemonThreads.single("batch-availability");
        long period = Math.max(10, settings.requestTimeout().toMillis() / 2);
        thread.scheduleWithFixedDelay(this::reaskOverdue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Completes when every batch is durable here. {@code sources} are the peers to ask, in order
     * (the likeliest holder first); they are asked in turn, one per request timeout.
     */
    public CompletableFuture<Void> ensure(List<Digest> digests, List<Integer> sources) {
        if (digests.isEmpty()) return CompletableFuture.completedFuture(null);
        return CompletableFuture.supplyAsync(() -> register(digests, sources), thread).thenCompose(f -> f);
    }

    /** A batch is durable here (our own worker's, or persisted by someone else): waits on it end. */
    public void markDurable(Digest digest) {
        thread.execute(() -> durable(digest));
    }

    /** A peer's worker pushed a batch it sealed: persist it (its author must be the sender). */
    public void pushed(int from, Batch batch) {
        thread.execute(() -> {
            if (batch.author() != from) {
                metrics.batchRejected("author_not_sender");
                return;
            }
            Digest d = batch.digest();
            if (known.containsKey(d) || persisting.contains(d)) return;
            if (!quota.admit(from, d, PushQuota.cost(batch), clock.getAsLong())) {
                metrics.batchRejected("quota");
                return;
            }
            persist(d, batch, "pushed");
        });
    }

    /**
     * A peer sent these certificates: once a certificate's signatures check out, the batches it names
     * no longer count against their author's push quota. Only a certificate frees quota (a header alone
     * would let a Byzantine author free its own by naming its flood in headers that are never
     * certified), and only a verified one (else a forged one would do the same). The check runs only
     * when the certificate names a batch that counts, so each pushed batch costs one verification.
     */
    public void certified(List<Certificate> certificates) {
        thread.execute(() -> {
            for (Certificate certificate : certificates) {
                List<Digest> counted = new ArrayList<>();
                for (Digest d : certificate.header().batchDigests()) if (quota.counts(d)) counted.add(d);
                if (counted.isEmpty()) continue;
                if (committee.checkCertificate(certificate).isPresent()) {
                    metrics.batchRejected("forged_certificate");
                    continue;
                }
                counted.forEach(quota::release);
            }
        });
    }

    /** Bytes of the author's pushed batches that still count against its quota (read on the owning thread). */
    long unreferencedBytes(int author) {
        try {
            return CompletableFuture.supplyAsync(() -> quota.outstanding(author), thread).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Batches a state f+1 peers vouched for names (a checkpoint joined from): they no longer count against the quota. */
    public void referencedByVouchedState(List<Digest> digests) {
        thread.execute(() -> digests.forEach(quota::release));
    }

    /** Batches a peer sent in answer to a request: only those we wait for are kept. */
    public void received(int from, List<Batch> batches) {
        thread.execute(() -> {
            for (Batch b : batches) {
                Digest d = b.digest();
                if (!wanted.containsKey(d) || persisting.contains(d)) {
                    metrics.batchRejected("unsolicited");
                    continue;
                }
                metrics.batchFetched();
                persist(d, b, "fetched");
            }
        });
    }


    // -------------------------------------------------------------------------------------------

    private CompletableFuture<Void> register(List<Digest> digests, List<Integer> sources) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        List<Digest> fresh = new ArrayList<>();
        for (Digest d : digests) {
            if (known.containsKey(d)) continue;
            Wanted w = wanted.get(d);
            if (w == null) {
                if (wanted.size() >= settings.maxWantedBatches()) {
                    metrics.batchRejected("wanted_full");
                    return CompletableFuture.failedFuture(new UnavailableException(
                            "already waiting for " + wanted.size() + " batches"));
                }
                w = new Wanted(List.copyOf(sources));
                wanted.put(d, w);
                fresh.add(d);
            }
            waits.add(w.durable);
        }
        if (!fresh.isEmpty()) checkStoreThenAsk(fresh);
        return waits.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]));
    }

    /** The store may already hold them (pushed before a restart, or by a write still unseen here). */
    private void checkStoreThenAsk(List<Digest> fresh) {
        store.batchesByDigest(fresh).subscribe().with(
                found -> thread.execute(() -> {
                    for (StoredBatch b : found) durable(b.digest());
                    ask(fresh);
                }),
                err -> thread.execute(() -> ask(fresh)));
    }

    private void ask(List<Digest> digests) {
        long now = clock.getAsLong();
        Map<Integer, List<Digest>> byPeer = new HashMap<>();
        for (Digest d : digests) {
            Wanted w = wanted.get(d);
            if (w == null || persisting.contains(d)) continue;
            if (w.attempts >= settings.maxAttempts() || w.sources.isEmpty()) {
                wanted.remove(d);
                metrics.batchRejected("unavailable");
                w.durable.completeExceptionally(new UnavailableException("no peer sent batch " + d + " after "
                        + w.attempts + " requests"));
                continue;
            }
            int peer = w.sources.get(w.attempts % w.sources.size());
            w.attempts++;
            w.askedAtMs = now;
            byPeer.computeIfAbsent(peer, p -> new ArrayList<>()).add(d);
        }
        byPeer.forEach((peer, ds) -> {
            for (int i = 0; i < ds.size(); i += settings.maxBatchesPerResponse()) {
                List<Digest> chunk = List.copyOf(ds.subList(i, Math.min(ds.size(), i + settings.maxBatchesPerResponse())));
                metrics.batchesRequested(chunk.size());
                asker.ask(peer, chunk);
            }
        });
    }

    private void reaskOverdue() {
        if (closed) return;
        quota.expire(clock.getAsLong());
        if (wanted.isEmpty()) return;
        long due = clock.getAsLong() - settings.requestTimeout().toMillis();
        List<Digest> overdue = new ArrayList<>();
        for (Map.Entry<Digest, Wanted> e : wanted.entrySet()) {
            if (e.getValue().askedAtMs >= 0 && e.getValue().askedAtMs <= due) overdue.add(e.getKey());
        }
        if (!overdue.isEmpty()) ask(overdue);
    }

    private void persist(Digest d, Batch batch, String how) {
        persisting.add(d);
        pipeline.submit(new WriteGroup().batch(batch)).subscribe().with(
                ok -> thread.execute(() -> {
                    persisting.remove(d);
                    durable(d);
                }),
                err -> thread.execute(() -> {
                    // Pipeline full or closed: a pushed batch is fetched again when a header needs it;
                    // a fetched one stays wanted and is asked for again when its request times out.
                    persisting.remove(d);
                    quota.release(d);
                    metrics.batchRejected("not_persisted");
                    LOG.debugf("%s batch %s not persisted: %s", how, d, err.getMessage());
                }));
    }

    private void durable(Digest d) {
        known.put(d, Boolean.TRUE);
        Wanted w = wanted.remove(d);
        if (w != null) w.durable.complete(null);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}
