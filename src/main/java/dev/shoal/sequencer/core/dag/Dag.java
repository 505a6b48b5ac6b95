package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.dag.InsertOutcome.Rejection;
import dev.shoal.sequencer.core.dag.InsertOutcome.Status;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory certified DAG of one committee: at most one certificate per (author, round), every
 * certificate above round 0 linked to certificates of the previous round whose authors hold a quorum
 * (2f+1) of stake. Genesis certificates (round 0) are present from the start.
 *
 * <p>{@link #insert} performs structural checks only. The caller checks signatures and the signer
 * quorum with {@link Committee#checkCertificate} first, which lets recovery replay skip signature
 * verification of data it validated before. Certificates whose parents are missing wait in a bounded
 * pending set and enter when their parents do.
 *
 * <p>Garbage collection: {@link #gc(long)} drops every round below {@code committedRound - gcDepth}.
 * Parents below the GC round count as present (they were dropped, not lost), so a certificate of the
 * GC round itself enters without parent checks.
 *
 * <p>Not thread-safe: one logical thread owns it.
 */
public final class Dag {
    /** Default bound of the pending set. */
    public static final int DEFAULT_PENDING_CAPACITY = 10_000;

    private final Committee committee;
    private final int size;
    private final long gcDepth;
    private final int pendingCapacity;
    private final long quorum;
    private final long[] stakes;

    private final HashMap<Digest, Vertex> byDigest = new HashMap<>();
    /** rounds.get(i) holds round baseRound + i, indexed by author; baseRound == gcRound. */
    private final ArrayList<Vertex[]> rounds = new ArrayList<>();
    private long baseRound;
    private long gcRound;
    private long highestRound;

    private final HashMap<Digest, Pending> pending = new HashMap<>();
    private final HashMap<Slot, Digest> pendingSlots = new HashMap<>();
    private final HashMap<Digest, List<Pending>> waitersByParent = new HashMap<>();

    private record Slot(int author, long round) {}

    /** A certificate waiting for {@code missing} parents. */
    private static final class Pending {
        final Certificate certificate;
        int missing;
        boolean dead;

        Pending(Certificate certificate, int missing) {
            this.certificate = certificate;
            this.missing = missing;
        }
    }

    public Dag(Committee committee, long gcDepth) {
        this(committee, gcDepth, DEFAULT_PENDING_CAPACITY);
    }

    public Dag(Committee committee, long gcDepth, int pendingCapacity) {
        if (gcDepth < 1) throw new IllegalArgumentException("gcDepth must be at least 1, got " + gcDepth);
        if (pendingCapacity < 0) throw new IllegalArgumentException("pendingCapacity must be non-negative");
        this.committee = committee;
        this.size = committee.size();
        this.gcDepth = gcDepth;
        this.pendingCapacity = pendingCapacity;
        this.quorum = committee.quorumThreshold();
        this.stakes = new long[size];
        for (int i = 0; i < size; i++) stakes[i] = committee.stake(i);
        Vertex[] genesis = new Vertex[size];
        for (Certificate g : committee.genesis()) {
            Vertex v = new Vertex(g, new long[0]);
            genesis[g.author()] = v;
            byDigest.put(g.digest(), v);
        }
        rounds.add(genesis);
    }

    public Committee committee() { return committee; }
    public long gcDepth() { return gcDepth; }
    public int pendingCapacity() { return pendingCapacity; }

    /** Lowest round still held; certificates below it are ignored. */
    public long gcRound() { return gcRound; }

    /** Highest round with a certificate in the DAG (0 when only genesis is present). */
    public long highestRound() { return highestRound; }

    /** Number of certificates in the DAG (pending ones excluded). */
    public int size() { return byDigest.size(); }

    /** Number of certificates waiting for parents. */
    public int pendingCount() { return pending.size(); }

    public boolean contains(Digest digest) {
        return byDigest.containsKey(digest);
    }

    public boolean isPending(Digest digest) {
        return pending.containsKey(digest);
    }

    public Optional<Certificate> get(Digest digest) {
        Vertex v = byDigest.get(digest);
        return v == null ? Optional.empty() : Optional.of(v.certificate());
    }

    /**
     * The digest of the certificate held for (author, round), in the DAG or waiting for parents;
     * null when there is none.
     */
    public Digest certificateAt(int author, long round) {
        Vertex v = vertex(author, round);
        if (v != null) return v.digest();
        return pendingSlots.isEmpty() ? null : pendingSlots.get(new Slot(author, round));
    }

    public Optional<Certificate> get(int author, long round) {
        Vertex v = vertex(author, round);
        return v == null ? Optional.empty() : Optional.of(v.certificate());
    }

    /** The certificates of a round in the DAG, ordered by author index. */
    public List<Certificate> round(long round) {
        Vertex[] slots = slots(round);
        if (slots == null) return List.of();
        List<Certificate> out = new ArrayList<>(size);
        for (Vertex v : slots) if (v != null) out.add(v.certificate());
        return out;
    }

    /** Total stake of the authors with a certificate in the given round. */
    public long roundStake(long round) {
        Vertex[] slots = slots(round);
        if (slots == null) return 0;
        long s = 0;
        for (Vertex v : slots) if (v != null) s += stakes[v.author()];
        return s;
    }

    public Vertex vertex(Digest digest) {
        return byDigest.get(digest);
    }

    /** The vertex of (author, round), or null. */
    public Vertex vertex(int author, long round) {
        Vertex[] slots = slots(round);
        return slots == null || author < 0 || author >= size ? null : slots[author];
    }

    private Vertex[] slots(long round) {
        long i = round - baseRound;
        return i < 0 || i >= rounds.size() ? null : rounds.get((int) i);
    }

    /**
     * Stake of the certificates of round {@code v.round() + 1} that have {@code v} as a parent: the
     * direct-commit support of an anchor.
     */
    public long supportStake(Vertex v) {
        Vertex[] next = slots(v.round() + 1);
        if (next == null) return 0;
        long s = 0;
        int a = v.author();
        for (Vertex child : next) {
            if (child != null && child.hasParentAuthor(a)) s += stakes[child.author()];
        }
        return s;
    }

    /** True when {@code to} is {@code from} or in its causal history (searching only the rounds between them). */
    public boolean hasPath(Certificate from, Certificate to) {
        Vertex f = byDigest.get(from.digest());
        Vertex t = byDigest.get(to.digest());
        return f != null && t != null && hasPath(f, t);
    }

    public boolean hasPath(Vertex from, Vertex to) {
        if (from.round() < to.round()) return false;
        if (from.round() == to.round()) return from == to;
        int words = (size + 63) >>> 6;
        long[] reach = from.parentMask().clone();
        for (long r = from.round() - 1; r > to.round(); r--) {
            Vertex[] slots = slots(r);
            if (slots == null) return false;
            long[] next = new long[words];
            boolean any = false;
            for (int word = 0; word < reach.length; word++) {
                long w = reach[word];
                while (w != 0) {
                    int a = word * 64 + Long.numberOfTrailingZeros(w);
                    w &= w - 1;
                    Vertex v = a < size ? slots[a] : null;
                    if (v == null) continue;
                    long[] pm = v.parentMask();
                    for (int k = 0; k < pm.length; k++) {
                        next[k] |= pm[k];
                        any |= pm[k] != 0;
                    }
                }
            }
            if (!any) return false;
            reach = next;
        }
        int a = to.author();
        int word = a >>> 6;
        return word < reach.length && (reach[word] & (1L << (a & 63))) != 0 && vertex(a, to.round()) == to;
    }

    /** The parents of {@code c} the DAG does not hold (none when they are below the GC round). */
    public List<Digest> missingParents(Certificate c) {
        if (c.round() == 0 || c.round() - 1 < gcRound) return List.of();
        List<Digest> missing = new ArrayList<>();
        for (Digest p : c.parents()) if (!byDigest.containsKey(p)) missing.add(p);
        return missing;
    }

    /**
     * Digests some pending certificate is waiting for and that are not pending themselves: what to ask
     * peers for. In digest order.
     */
    public List<Digest> wantedParents() {
        List<Digest> out = new ArrayList<>();
        for (Digest d : waitersByParent.keySet()) if (!pending.containsKey(d)) out.add(d);
        Collections.sort(out);
        return out;
    }

    /**
     * The lowest round of a certificate that a pending certificate waits for and that is not pending
     * itself, or -1 when nothing is wanted. Such a hole can sit below {@link #highestRound()}: the DAG
     * grows around it, so a sync that only asks for rounds above the top never fills it.
     */
    public long lowestWantedRound() {
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

    /** Inserts a certificate after structural checks; see {@link InsertOutcome}. */
    public InsertOutcome insert(Certificate c) {
        if (c.epoch() != committee.epoch()) {
            return reject(InsertRejection.WRONG_EPOCH, c, "epoch " + c.epoch() + ", committee epoch is " + committee.epoch(), null);
        }
        if (!committee.isMember(c.author())) {
            return reject(InsertRejection.UNKNOWN_AUTHOR, c, "author index " + c.author() + " is not in the committee", null);
        }
        if (c.round() < gcRound) return InsertOutcome.of(Status.BELOW_GC);
        if (c.round() == 0) {
            Vertex g = vertex(c.author(), 0);
            if (g != null && g.certificate().digest().equals(c.digest())) return InsertOutcome.of(Status.DUPLICATE);
            return reject(InsertRejection.INVALID_GENESIS, c, "round-0 certificate is not the committee's genesis", null);
        }
        Digest digest = c.digest();
        if (byDigest.containsKey(digest) || (!pending.isEmpty() && pending.containsKey(digest))) {
            return InsertOutcome.of(Status.DUPLICATE);
        }
        Vertex held = vertex(c.author(), c.round());
        if (held != null) {
            return reject(InsertRejection.EQUIVOCATION, c, "author " + c.author() + " already has certificate "
                    + held.digest().shortHex() + " in round " + c.round(), held.certificate());
        }
        if (!pendingSlots.isEmpty()) {
            Digest pendingTwin = pendingSlots.get(new Slot(c.author(), c.round()));
            if (pendingTwin != null) {
                return reject(InsertRejection.EQUIVOCATION, c, "author " + c.author() + " already has pending certificate "
                        + pendingTwin.shortHex() + " in round " + c.round(), pending.get(pendingTwin).certificate);
            }
        }
        List<Digest> parents = c.parents();
        int parentCount = parents.size();
        if (parentCount == 0 || parentCount > size) {
            return reject(InsertRejection.MALFORMED_PARENTS, c, parentCount + " parents for a committee of " + size, null);
        }
        if (c.round() - 1 < gcRound) return enter(c, new long[words()]);

        // One pass over the parents: resolve, check their round, collect the author mask and stake.
        long[] mask = new long[words()];
        long stake = 0;
        int missing = 0;
        long parentRound = c.round() - 1;
        for (int i = 0; i < parentCount; i++) {
            Digest p = parents.get(i);
            Vertex v = byDigest.get(p);
            if (v == null) {
                missing++;
                continue;
            }
            if (v.round() != parentRound) {
                return InsertOutcome.rejected(new Rejection(InsertRejection.PARENT_WRONG_ROUND, c, "parent " + p.shortHex()
                        + " is in round " + v.round() + ", expected " + parentRound, null));
            }
            int a = v.author();
            long bit = 1L << (a & 63);
            if ((mask[a >>> 6] & bit) == 0) {
                mask[a >>> 6] |= bit;
                stake += stakes[a];
            }
        }
        if (missing > 0) return addPending(c);
        if (stake < quorum) {
            return InsertOutcome.rejected(new Rejection(InsertRejection.PARENT_QUORUM, c, "parents carry stake " + stake
                    + ", below the quorum " + quorum, null));
        }
        return enter(c, mask);
    }

    private int words() {
        return (size + 63) >>> 6;
    }

    private InsertOutcome addPending(Certificate c) {
        if (pending.size() >= pendingCapacity) {
            return reject(InsertRejection.PENDING_FULL, c, "pending set holds " + pending.size()
                    + " certificates (capacity " + pendingCapacity + ")", null);
        }
        List<Digest> missing = missingParents(c);
        Pending p = new Pending(c, missing.size());
        pending.put(c.digest(), p);
        pendingSlots.put(new Slot(c.author(), c.round()), c.digest());
        for (Digest d : missing) waitersByParent.computeIfAbsent(d, k -> new ArrayList<>(2)).add(p);
        return InsertOutcome.pending(missing);
    }

    /** Adds a checked certificate with its parent mask; releases pending certificates if any waited for it. */
    private InsertOutcome enter(Certificate c, long[] mask) {
        add(c, mask);
        if (waitersByParent.isEmpty()) return InsertOutcome.inserted(List.of(c), List.of());
        List<Certificate> entered = new ArrayList<>();
        entered.add(c);
        List<Rejection> dropped = new ArrayList<>(0);
        release(c, entered, dropped);
        return InsertOutcome.inserted(entered, dropped);
    }

    private static InsertOutcome reject(InsertRejection reason, Certificate c, String detail, Certificate existing) {
        return InsertOutcome.rejected(new Rejection(reason, c, detail, existing));
    }

    private Rejection checkHeldParentRounds(Certificate c) {
        for (Digest p : c.parents()) {
            Vertex v = byDigest.get(p);
            if (v != null && v.round() != c.round() - 1) {
                return new Rejection(InsertRejection.PARENT_WRONG_ROUND, c, "parent " + p.shortHex() + " is in round "
                        + v.round() + ", expected " + (c.round() - 1), null);
            }
        }
        return null;
    }

    /** Checks parents that are all present (or below GC); returns null when they pass. */
    private Rejection checkParents(Certificate c) {
        if (c.round() - 1 < gcRound) return null;
        Rejection r = checkHeldParentRounds(c);
        if (r != null) return r;
        long stake = 0;
        for (Digest p : c.parents()) stake += stakes[byDigest.get(p).author()];
        if (stake < quorum) {
            return new Rejection(InsertRejection.PARENT_QUORUM, c, "parents carry stake " + stake
                    + ", below the quorum " + quorum, null);
        }
        return null;
    }

    /**
     * Releases, breadth first, every pending certificate that {@code first} (already added) completes,
     * and whatever those complete in turn.
     */
    private void release(Certificate first, List<Certificate> entered, List<Rejection> dropped) {
        ArrayDeque<Certificate> queue = new ArrayDeque<>();
        queue.add(first);
        while (!queue.isEmpty()) {
            Certificate c = queue.poll();
            List<Pending> waiters = waitersByParent.remove(c.digest());
            if (waiters == null) continue;
            for (Pending p : waiters) {
                if (p.dead || --p.missing > 0) continue;
                removePending(p);
                Rejection r = checkParents(p.certificate);
                if (r == null && vertex(p.certificate.author(), p.certificate.round()) != null) {
                    Vertex twin = vertex(p.certificate.author(), p.certificate.round());
                    r = new Rejection(InsertRejection.EQUIVOCATION, p.certificate, "author " + p.certificate.author()
                            + " already has certificate " + twin.digest().shortHex(), twin.certificate());
                }
                if (r == null) {
                    add(p.certificate, maskOf(p.certificate));
                    entered.add(p.certificate);
                    queue.add(p.certificate);
                } else {
                    dropped.add(r);
                }
            }
        }
    }

    private long[] maskOf(Certificate c) {
        long[] mask = new long[words()];
        if (c.round() - 1 >= gcRound) {
            for (Digest p : c.parents()) {
                int a = byDigest.get(p).author();
                mask[a >>> 6] |= 1L << (a & 63);
            }
        }
        return mask;
    }

    private void removePending(Pending p) {
        p.dead = true;
        pending.remove(p.certificate.digest());
        pendingSlots.remove(new Slot(p.certificate.author(), p.certificate.round()));
    }

    private void add(Certificate c, long[] mask) {
        Vertex v = new Vertex(c, mask);
        long index = c.round() - baseRound;
        while (rounds.size() <= index) rounds.add(new Vertex[size]);
        rounds.get((int) index)[c.author()] = v;
        byDigest.put(c.digest(), v);
        if (c.round() > highestRound) highestRound = c.round();
    }

    /**
     * Drops every certificate below {@code committedRound - gcDepth} (the new GC round), and pending
     * certificates below it. Pending certificates of the new GC round no longer need their parents and
     * enter, with whatever they release in turn.
     *
     * @return the certificates that entered the DAG as a result, in causal order (usually none); pass
     *         them to the consensus like the ones {@link #insert} reports
     */
    public List<Certificate> gc(long committedRound) {
        long target = committedRound - gcDepth;
        if (target <= gcRound) return List.of();
        gcRound = target;
        int drop = (int) Math.min(rounds.size(), target - baseRound);
        for (int i = 0; i < drop; i++) {
            for (Vertex v : rounds.get(i)) if (v != null) byDigest.remove(v.digest());
        }
        rounds.subList(0, drop).clear();
        baseRound = target;
        if (rounds.isEmpty()) rounds.add(new Vertex[size]);
        if (pending.isEmpty()) return List.of();

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
        waitersByParent.values().removeIf(list -> {
            list.removeIf(p -> p.dead);
            return list.isEmpty();
        });
        // Deterministic release order: by author within the GC round.
        released.sort((x, y) -> Integer.compare(x.certificate.author(), y.certificate.author()));
        List<Certificate> entered = new ArrayList<>();
        List<Rejection> dropped = new ArrayList<>();
        for (Pending p : released) {
            if (p.dead) continue;
            removePending(p);
            add(p.certificate, new long[words()]);
            entered.add(p.certificate);
            release(p.certificate, entered, dropped);
        }
        waitersByParent.values().removeIf(list -> {
            list.removeIf(p -> p.dead);
            return list.isEmpty();
        });
        return entered;
    }

    @Override
    public String toString() {
        return "Dag[rounds " + gcRound + ".." + highestRound + ", " + byDigest.size() + " certificates, "
                + pending.size() + " pending]";
    }
}
