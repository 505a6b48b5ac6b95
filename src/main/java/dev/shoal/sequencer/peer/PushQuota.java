package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.types.Digest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds what one peer can make this validator store unasked. A worker pushes the batches it seals
 * before any header names them, and a validator persists them on receipt; a Byzantine peer could
 * push without end and fill the database. So each author may have at most {@code maxBytes} of
 * pushed batches that no certificate has referenced yet; beyond it, its pushes are refused (an
 * honest author's refused batch is fetched on demand when its header arrives, so nothing is lost
 * but a round trip). A batch leaves the count when a certificate names it (not a header: an author
 * signs its own headers, a certificate needs a quorum), when it could not be persisted, or after
 * {@code ttlMs} (an abandoned header's batches are
 * proposed again later; the count must not leak), which bounds a flooding peer to
 * {@code maxBytes} per {@code ttlMs}. Not thread-safe: owned by {@link BatchAvailability}'s thread.
 */
final class PushQuota {
    private record Entry(int author, long bytes, long atMs) {}

    private final long maxBytes;
    private final long ttlMs;
    private final Map<Digest, Entry> unreferenced = new LinkedHashMap<>(); // insertion order = age order
    private final Map<Integer, Long> outstanding = new HashMap<>();

    PushQuota(long maxBytes, long ttlMs) {
        if (maxBytes < 1 || ttlMs < 1) throw new IllegalArgumentException("push quota bounds must be positive");
        this.maxBytes = maxBytes;
        this.ttlMs = ttlMs;
    }

    /** Bytes a stored row costs besides the payload, and per transaction (its digest and framing). */
    static final long ROW_OVERHEAD_BYTES = 128;
    static final long PER_TRANSACTION_BYTES = 40;

    /**
     * What storing the batch costs: its payload plus the row and per-transaction overhead, so that
     * empty or tiny batches count too (at payload size alone a flood of empty batches would be free).
     */
    static long cost(dev.shoal.sequencer.core.types.Batch batch) {
        return batch.payloadBytes() + ROW_OVERHEAD_BYTES + PER_TRANSACTION_BYTES * batch.transactions().size();
    }

    /** Counts a pushed batch against its author; false (nothing counted) when it would exceed the quota. */
    boolean admit(int author, Digest digest, long bytes, long nowMs) {
        expire(nowMs);
        if (unreferenced.containsKey(digest)) return true;
        long used = outstanding.getOrDefault(author, 0L);
        if (used + bytes > maxBytes) return false;
        unreferenced.put(digest, new Entry(author, bytes, nowMs));
        outstanding.put(author, used + bytes);
        return true;
    }

    /** True when the batch counts against its author now. */
    boolean counts(Digest digest) {
        return unreferenced.containsKey(digest);
    }

    /** A certificate named the batch, or it was not persisted: it no longer counts. */
    void release(Digest digest) {
        Entry e = unreferenced.remove(digest);
        if (e != null) uncount(e);
    }

    /** Bytes of the author's pushed batches not referenced yet. */
    long outstanding(int author) {
        return outstanding.getOrDefault(author, 0L);
    }

    void expire(long nowMs) {
        for (Iterator<Map.Entry<Digest, Entry>> it = unreferenced.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (nowMs - e.atMs() < ttlMs) break;
            it.remove();
            uncount(e);
        }
    }

    private void uncount(Entry e) {
        outstanding.computeIfPresent(e.author(), (a, used) -> used == e.bytes() ? null : used - e.bytes());
    }
}
