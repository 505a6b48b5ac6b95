package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.dag.InsertOutcome.Rejection;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The bounded set of certificates the {@link Dag} holds back because some parents are missing: by
 * digest, by (author, round), and by the parent each one waits for. Releases them when their parents
 * arrive; the DAG decides whether a released certificate enters.
 */
final class PendingCertificates {
    private final int capacity;
    private final HashMap<Digest, Pending> pending = new HashMap<>();
    private final HashMap<Slot, Digest> pendingSlots = new HashMap<>();
    private final HashMap<Digest, List<Pending>> waitersByParent = new HashMap<>();

    private record Slot(int author, long round) {}

    /** A certificate waiting for {@code missing} parents. */
    static final class Pending {
        final Certificate certificate;
        int missing;
        boolean dead;

        Pending(Certificate certificate, int missing) {
            this.certificate = certificate;
            this.missing = missing;
        }
    }

    PendingCertificates(int capacity) {
        this.capacity = capacity;
    }

    int capacity() { return capacity; }

    int count() { return pending.size(); }

    boolean isEmpty() { return pending.isEmpty(); }

    boolean contains(Digest digest) {
        return pending.containsKey(digest);
    }

    /** The pending certificate of a digest; the digest must be pending. */
    Certificate certificate(Digest digest) {
        return pending.get(digest).certificate;
    }

    /** The digest of the pending certificate of (author, round), or null. */
    Digest at(int author, long round) {
        return pendingSlots.isEmpty() ? null : pendingSlots.get(new Slot(author, round));
    }

    /** True when some pending certificate waits for a parent. */
    boolean hasWaiters() {
        return !waitersByParent.isEmpty();
    }

    /** The PENDING_FULL rejection of {@code c} when the set is at capacity, else null. */
    Rejection rejectIfFull(Certificate c) {
        if (pending.size() < capacity) return null;
        return new Rejection(InsertRejection.PENDING_FULL, c, "pending set holds " + pending.size()
                + " certificates (capacity " + capacity + ")", null);
    }

    /** Adds {@code c}, waiting for the {@code missing} parents. */
    void add(Certificate c, List<Digest> missing) {
        Pending p = new Pending(c, missing.size());
        pending.put(c.digest(), p);
        pendingSlots.put(new Slot(c.author(), c.round()), c.digest());
        for (Digest d : missing) waitersByParent.computeIfAbsent(d, k -> new ArrayList<>(2)).add(p);
    }

    void remove(Pending p) {
        p.dead = true;
        pending.remove(p.certificate.digest());
        pendingSlots.remove(new Slot(p.certificate.author(), p.certificate.round()));
    }

    /**
     * Releases, breadth first, every pending certificate that {@code first} (already added) completes,
     * and whatever those complete in turn. Each completed certificate leaves the set and goes to
     * {@code admit}, which adds it to the DAG and returns null, or returns why it cannot enter.
     */
    void release(Certificate first, Function<Certificate, Rejection> admit, List<Certificate> entered,
                 List<Rejection> dropped) {
        ArrayDeque<Certificate> queue = new ArrayDeque<>();
        queue.add(first);
        while (!queue.isEmpty()) {
            Certificate c = queue.poll();
            List<Pending> waiters = waitersByParent.remove(c.digest());
            if (waiters == null) continue;
            for (Pending p : waiters) {
                if (p.dead || --p.missing > 0) continue;
                remove(p);
                Rejection r = admit.apply(p.certificate);
                if (r == null) {
                    entered.add(p.certificate);
                    queue.add(p.certificate);
                } else {
                    dropped.add(r);
                }
            }
        }
    }

    /**
     * Digests some pending certificate is waiting for and that are not pending themselves: what to ask
     * peers for. In digest order.
     */
    List<Digest> wantedParents() {
        List<Digest> out = new ArrayList<>();
        for (Digest d : waitersByParent.keySet()) if (!pending.containsKey(d)) out.add(d);
        Collections.sort(out);
        return out;
    }

    /** The lowest round of a wanted parent (see {@link #wantedParents}), or -1 when nothing is wanted. */
    long lowestWantedRound() {
        long lowest = -1;
        for (Map.Entry<Digest, List<Pending>> e : waitersByParent.entrySet()) {
            if (pending.containsKey(e.getKey())) continue;
            for (Pending p : e.getValue()) {
                if (p.dead) continue;
                long r = p.certificate.round() - 1;
                if (lowest < 0 || r < lowest) lowest = r;
                break; // every waiter of one parent names it in the same round
            }
        }
        return lowest;
    }

    /**
     * Drops the pending certificates below the new GC round {@code target} and returns those of the GC
     * round itself, which no longer need their parents, by author. They are still pending.
     */
    List<Pending> dropBelow(long target) {
        List<Pending> released = new ArrayList<>();
        for (Iterator<Map.Entry<Digest, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            long r = p.certificate.round();
            if (r < target) {
                p.dead = true;
                pendingSlots.remove(new Slot(p.certificate.author(), r));
                it.remove();
            } else if (r == target) {
                released.add(p);
            }
        }
        pruneWaiters();
        // Deterministic release order: by author within the GC round.
        released.sort((x, y) -> Integer.compare(x.certificate.author(), y.certificate.author()));
        return released;
    }

    /** Forgets removed certificates in the waiter lists, and lists left empty. */
    void pruneWaiters() {
        waitersByParent.values().removeIf(list -> {
            list.removeIf(p -> p.dead);
            return list.isEmpty();
        });
    }
}
