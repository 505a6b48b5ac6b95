package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.StoredBatch;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The batches this store wrote most recently, kept in memory up to a byte budget (oldest out
 * first), so that followers of the commit stream and peers fetching fresh batches do not read back
 * from PostgreSQL what was written a moment ago. Holds only committed writes (filled after their
 * transaction succeeds) and mirrors the first certificate link of each batch as the database keeps
 * it. Batches are content-addressed, so a cached body is never stale; pruning empties the cache so
 * that nothing pruned is served. Thread-safe.
 */
final class RecentBatches {
    private final long budgetBytes;
    private final LinkedHashMap<Digest, StoredBatch> byDigest = new LinkedHashMap<>();
    private long bytes;

    /** @param budgetBytes payload bytes kept at most; 0 disables the cache */
    RecentBatches(long budgetBytes) {
        if (budgetBytes < 0) throw new IllegalArgumentException("batch cache budget must be >= 0, got " + budgetBytes);
        this.budgetBytes = budgetBytes;
    }

    /** Records a committed write group's batches and its batch-to-certificate links. */
    synchronized void written(Collection<Batch> batches, Collection<Map.Entry<Digest, Digest>> links) {
        if (budgetBytes == 0) return;
        for (Batch b : batches) {
            long size = b.payloadBytes();
            if (size > budgetBytes || byDigest.containsKey(b.digest())) continue;
            byDigest.put(b.digest(), new StoredBatch(b.digest(), b, Optional.empty()));
            bytes += size;
        }
        for (Map.Entry<Digest, Digest> link : links) {
            StoredBatch cached = byDigest.get(link.getKey());
            // The database links a batch only while it is unlinked: the first certificate wins.
            if (cached != null && cached.certificateDigest().isEmpty()) {
                byDigest.put(link.getKey(), new StoredBatch(cached.digest(), cached.batch(), Optional.of(link.getValue())));
            }
        }
        Iterator<StoredBatch> oldest = byDigest.values().iterator();
        while (bytes > budgetBytes && oldest.hasNext()) {
            bytes -= oldest.next().batch().payloadBytes();
            oldest.remove();
        }
    }

    synchronized StoredBatch get(Digest digest) {
        return byDigest.get(digest);
    }

    /** Forgets everything (after pruning, or when the tables were emptied behind this store's back). */
    synchronized void clear() {
        byDigest.clear();
        bytes = 0;
    }

    synchronized int size() {
        return byDigest.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
