package dev.shoal.sequencer.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counters of what a validator fetched from, served to and refused from its peers ({@code sequencer_sync_*}). */
public final class SyncMetrics {
    private final MeterRegistry registry;
    private final Counter batchesFetched;
    private final Counter batchesRequested;
    private final Counter rangeRequests;
    private final Counter certificatesSynced;
    private final Counter requestsServed;
    private final Counter inboxFull;
    private final Counter headersRefused;
    private final Map<String, Counter> batchRejections = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchesFetched = Counter.builder("sequencer.sync.batches.fetched")
                .description("Batches received in answer to our requests and persisted").register(registry);
        batchesRequested = Counter.builder("sequencer.sync.batches.requested")
                .description("Batch digests asked of peers").register(registry);
        rangeRequests = Counter.builder("sequencer.sync.range.requests")
                .description("Round-range certificate requests sent while catching up").register(registry);
        certificatesSynced = Counter.builder("sequencer.sync.certificates.received")
                .description("Certificates received in range responses").register(registry);
        requestsServed = Counter.builder("sequencer.sync.requests.served")
                .description("Batch and range requests of peers answered").register(registry);
        inboxFull = Counter.builder("sequencer.peer.messages.dropped")
                .description("Peer messages dropped because the consensus loop's inbox, or the sending peer's share of it, was full (peers re-send)")
                .register(registry);
        headersRefused = Counter.builder("sequencer.peer.headers.refused")
                .description("Peer headers dropped before any batch fetch: malformed, not from their author, or far above our DAG")
                .register(registry);
    }

    void headerRefused() {
        headersRefused.increment();
    }

    void batchRejected(String reason) {
        batchRejections.computeIfAbsent(reason, r -> Counter.builder("sequencer.sync.batches.rejected")
                .description("Batches refused or not kept: author_not_sender, quota, forged_certificate, unsolicited, wanted_full, unavailable, not_persisted")
                .tag("reason", r).register(registry)).increment();
    }

    void batchFetched() { batchesFetched.increment(); }

    void batchesRequested(int n) { batchesRequested.increment(n); }

    void rangeRequested() { rangeRequests.increment(); }

    void certificatesSynced(int n) { certificatesSynced.increment(n); }

    void requestServed() { requestsServed.increment(); }

    void inboxFull() { inboxFull.increment(); }
}
