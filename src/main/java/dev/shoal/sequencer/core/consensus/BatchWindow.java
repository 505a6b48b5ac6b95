package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The last {@code capacity} batch digests the output carried, oldest first: the memory behind
 * exactly-once output. A batch listed again (by an author re-proposing it, or by another validator
 * copying it) is skipped while it is still in the window. The window is a function of the committed
 * prefix only, so every honest validator, and every recovery strategy, skips the same batches.
 * Not thread-safe: the consensus owns it.
 */
final class BatchWindow {
    private final int capacity;
    private final ArrayDeque<Digest> order = new ArrayDeque<>();
    private final HashSet<Digest> members = new HashSet<>();

    BatchWindow(int capacity, List<Digest> initial) {
        this.capacity = capacity;
        int skip = Math.max(0, initial.size() - capacity);
        for (Digest d : initial.subList(skip, initial.size())) add(d);
    }

    boolean contains(Digest d) {
        return members.contains(d);
    }

    /** Remembers a batch the output carried, forgetting the oldest beyond the capacity. */
    void add(Digest d) {
        if (!members.add(d)) return;
        order.addLast(d);
        if (order.size() > capacity) members.remove(order.pollFirst());
    }

    /** The window, oldest first. */
    List<Digest> snapshot() {
        return new ArrayList<>(order);
    }

    /** {@code window} followed by {@code added}, keeping the newest {@code capacity} (a new list). */
    static List<Digest> appended(List<Digest> window, List<Digest> added, int capacity) {
        int total = window.size() + added.size();
        int drop = Math.max(0, total - capacity);
        List<Digest> out = new ArrayList<>(total - drop);
        if (drop < window.size()) out.addAll(window.subList(drop, window.size()));
        int dropAdded = Math.max(0, drop - window.size());
        out.addAll(added.subList(dropAdded, added.size()));
        return out;
    }
}
