package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Batch digests from our worker not yet in a header, in FIFO order, each at most once. */
final class PendingBatches {
    private final ArrayDeque<Digest> queue = new ArrayDeque<>();
    private final Set<Digest> queued = new HashSet<>();

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void add(List<Digest> batches) {
        for (Digest d : batches) {
            if (queued.add(d)) queue.add(d);
        }
    }

    /** Batches given back (abandoned header, orphaned certificate) go first, in their order: they are the oldest. */
    void requeueFront(List<Digest> batches) {
        for (int i = batches.size() - 1; i >= 0; i--) {
            if (queued.add(batches.get(i))) queue.addFirst(batches.get(i));
        }
    }

    Digest poll() {
        Digest d = queue.poll();
        queued.remove(d);
        return d;
    }
}
