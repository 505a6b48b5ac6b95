package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.dag.CertificateChecks.ParentScan;
import dev.shoal.sequencer.core.dag.InsertOutcome.Rejection;
import dev.shoal.sequencer.core.dag.PendingCertificates.Pending;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayList;
import java.util.List;
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
 * <p>The parts, package-private: {@link RoundIndex} holds the vertices by digest and round,
 * {@link PendingCertificates} the pending set and its release, {@link CertificateChecks} the structural
 * checks, {@link Reachability} the path and support queries. This class ties them together and owns
 * the GC round.
 *
 * <p>Not thread-safe: one logical thread owns it.
 */
public final class Dag {
    /** Default bound of the pending set. */
    public static final int DEFAULT_PENDING_CAPACITY = 10_000;

    private final Committee committee;
    private final int size;
    private final long gcDepth;
    private final long[] stakes;

    private final RoundIndex index;
    private final PendingCertificates pending;
    private final CertificateChecks checks;
    private final Reachability reachability;
    private long gcRound;

    public Dag(Committee committee, long gcDepth) {
        this(committee, gcDepth, DEFAULT_PENDING_CAPACITY);
    }

    public Dag(Committee committee, long gcDepth, int pendingCapacity) {
        if (gcDepth < 1) throw new IllegalArgumentException("gcDepth must be at least 1, got " + gcDepth);
        if (pendingCapacity < 0) throw new IllegalArgumentException("pendingCapacity must be non-negative");
        this.committee = committee;
        this.size = committee.size();
        this.gcDepth = gcDepth;
        this.pending = new PendingCertificates(pendingCapacity);
        this.stakes = new long[size];
        for (int i = 0; i < size; i++) stakes[i] = committee.stake(i);
        this.index = new RoundIndex(committee, size);
        this.checks = new CertificateChecks(committee, size, stakes, index);
        this.reachability = new Reachability(size, stakes, index);
    }

    public Committee committee() { return committee; }
    public long gcDepth() { return gcDepth; }
    public int pendingCapacity() { return pending.capacity(); }

    /** Lowest round still held; certificates below it are ignored. */
    public long gcRound() { return gcRound; }

    /** Highest round with a certificate in the DAG (0 when only genesis is present). */
    public long highestRound() { return index.highestRound(); }

    /** Number of certificates in the DAG (pending ones excluded). */
    public int size() { return index.count(); }

    /** Number of certificates waiting for parents. */
    public int pendingCount() { return pending.count(); }

    public boolean contains(Digest digest) {
        return index.contains(digest);
    }

    public boolean isPending(Digest digest) {
        return pending.contains(digest);
    }

    public Optional<Certificate> get(Digest digest) {
        Vertex v = index.get(digest);
        return v == null ? Optional.empty() : Optional.of(v.certificate());
    }

    /**
     * The digest of the certificate held for (author, round), in the DAG or waiting for parents;
     * null when there is none.
     */
    public Digest certificateAt(int author, long round) {
        Vertex v = vertex(author, round);
        if (v != null) return v.digest();
        return pending.at(author, round);
    }

    public Optional<Certificate> get(int author, long round) {
        Vertex v = vertex(author, round);
        return v == null ? Optional.empty() : Optional.of(v.certificate());
    }

    /** The certificates of a round in the DAG, ordered by author index. */
    public List<Certificate> round(long round) {
        Vertex[] slots = index.slots(round);
        if (slots == null) return List.of();
        List<Certificate> out = new ArrayList<>(size);
        for (Vertex v : slots) if (v != null) out.add(v.certificate());
        return out;
    }

    /** Total stake of the authors with a certificate in the given round. */
    public long roundStake(long round) {
        Vertex[] slots = index.slots(round);
        if (slots == null) return 0;
        long s = 0;
        for (Vertex v : slots) if (v != null) s += stakes[v.author()];
        return s;
    }

    public Vertex vertex(Digest digest) {
        return index.get(digest);
    }

    /** The vertex of (author, round), or null. */
    public Vertex vertex(int author, long round) {
        return index.vertex(author, round);
    }

    /**
     * Stake of the certificates of round {@code v.round() + 1} that have {@code v} as a parent: the
     * direct-commit support of an anchor.
     */
    public long supportStake(Vertex v) {
        return reachability.supportStake(v);
    }

    /** True when {@code to} is {@code from} or in its causal history (searching only the rounds between them). */
    public boolean hasPath(Certificate from, Certificate to) {
        Vertex f = index.get(from.digest());
        Vertex t = index.get(to.digest());
        return f != null && t != null && hasPath(f, t);
    }

    public boolean hasPath(Vertex from, Vertex to) {
        return reachability.hasPath(from, to);
    }

    /** The parents of {@code c} the DAG does not hold (none when they are below the GC round). */
    public List<Digest> missingParents(Certificate c) {
        if (c.round() == 0 || c.round() - 1 < gcRound) return List.of();
        List<Digest> missing = new ArrayList<>();
        for (Digest p : c.parents()) if (!index.contains(p)) missing.add(p);
        return missing;
    }

    /**
     * Digests some pending certificate is waiting for and that are not pending themselves: what to ask
     * peers for. In digest order.
     */
    public List<Digest> wantedParents() {
        return pending.wantedParents();
    }

    /**
     * The lowest round of a certificate that a pending certificate waits for and that is not pending
     * itself, or -1 when nothing is wanted. Such a hole can sit below {@link #highestRound()}: the DAG
     * grows around it, so a sync that only asks for rounds above the top never fills it.
     */
    public long lowestWantedRound() {
        return pending.lowestWantedRound();
    }

    /** Inserts a certificate after structural checks; see {@link InsertOutcome}. */
    public InsertOutcome insert(Certificate c) {
        InsertOutcome early = checks.screen(c, gcRound, pending);
        if (early != null) return early;
        if (c.round() - 1 < gcRound) return enter(c, new long[index.words()]);
        ParentScan scan = checks.scanParents(c);
        if (scan.rejection() != null) return InsertOutcome.rejected(scan.rejection());
        if (scan.missing() > 0) return addPending(c);
        return enter(c, scan.mask());
    }

    private InsertOutcome addPending(Certificate c) {
        Rejection full = pending.rejectIfFull(c);
        if (full != null) return InsertOutcome.rejected(full);
        List<Digest> missing = missingParents(c);
        pending.add(c, missing);
        return InsertOutcome.pending(missing);
    }

    /** Adds a checked certificate with its parent mask; releases pending certificates if any waited for it. */
    private InsertOutcome enter(Certificate c, long[] mask) {
        index.add(c, mask);
        if (!pending.hasWaiters()) return InsertOutcome.inserted(List.of(c), List.of());
        List<Certificate> entered = new ArrayList<>();
        entered.add(c);
        List<Rejection> dropped = new ArrayList<>(0);
        pending.release(c, this::admitReleased, entered, dropped);
        return InsertOutcome.inserted(entered, dropped);
    }

    /** Adds a released pending certificate when it passes the checks; returns null then, else why not. */
    private Rejection admitReleased(Certificate c) {
        Rejection r = checks.checkReleased(c, gcRound);
        if (r == null) index.add(c, checks.maskOf(c, gcRound));
        return r;
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
        index.dropBelow(target);
        if (pending.isEmpty()) return List.of();

        List<Pending> released = pending.dropBelow(target);
        List<Certificate> entered = new ArrayList<>();
        List<Rejection> dropped = new ArrayList<>();
        for (Pending p : released) {
            if (p.dead) continue;
            pending.remove(p);
            index.add(p.certificate, new long[index.words()]);
            entered.add(p.certificate);
            pending.release(p.certificate, this::admitReleased, entered, dropped);
        }
        pending.pruneWaiters();
        return entered;
    }

    @Override
    public String toString() {
        return "Dag[rounds " + gcRound + ".." + index.highestRound() + ", " + index.count() + " certificates, "
                + pending.count() + " pending]";
    }
}
