package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.dag.InsertOutcome.Rejection;
import dev.shoal.sequencer.core.dag.InsertOutcome.Status;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import java.util.List;

/**
 * The structural checks of the {@link Dag} on a certificate: committee, round, duplicates,
 * equivocation, parent count, parent rounds and the parent quorum. Reads the DAG, never changes it.
 * Signatures are the caller's business.
 */
final class CertificateChecks {
    private final Committee committee;
    private final int size;
    private final long quorum;
    private final long[] stakes;
    private final RoundIndex index;

    /**
     * The result of the one pass over the parents of a certificate: a rejection, or some parents
     * missing, or the parent-author mask of a certificate that may enter.
     */
    record ParentScan(Rejection rejection, int missing, long[] mask) {}

    CertificateChecks(Committee committee, int size, long[] stakes, RoundIndex index) {
        this.committee = committee;
        this.size = size;
        this.quorum = committee.quorumThreshold();
        this.stakes = stakes;
        this.index = index;
    }

    /**
     * The checks before the parents are looked at: the outcome of {@code c} when it ends here
     * (rejected, below GC, duplicate), or null when its parents decide.
     */
    InsertOutcome screen(Certificate c, long gcRound, PendingCertificates pending) {
        if (c.epoch() != committee.epoch()) {
            return reject(InsertRejection.WRONG_EPOCH, c, "epoch " + c.epoch() + ", committee epoch is " + committee.epoch(), null);
        }
        if (!committee.isMember(c.author())) {
            return reject(InsertRejection.UNKNOWN_AUTHOR, c, "author index " + c.author() + " is not in the committee", null);
        }
        if (c.round() < gcRound) return InsertOutcome.of(Status.BELOW_GC);
        if (c.round() == 0) {
            Vertex g = index.vertex(c.author(), 0);
            if (g != null && g.certificate().digest().equals(c.digest())) return InsertOutcome.of(Status.DUPLICATE);
            return reject(InsertRejection.INVALID_GENESIS, c, "round-0 certificate is not the committee's genesis", null);
        }
        Digest digest = c.digest();
        if (index.contains(digest) || (!pending.isEmpty() && pending.contains(digest))) {
            return InsertOutcome.of(Status.DUPLICATE);
        }
        Vertex held = index.vertex(c.author(), c.round());
        if (held != null) {
            return reject(InsertRejection.EQUIVOCATION, c, "author " + c.author() + " already has certificate "
                    + held.digest().shortHex() + " in round " + c.round(), held.certificate());
        }
        Digest pendingTwin = pending.at(c.author(), c.round());
        if (pendingTwin != null) {
            return reject(InsertRejection.EQUIVOCATION, c, "author " + c.author() + " already has pending certificate "
                    + pendingTwin.shortHex() + " in round " + c.round(), pending.certificate(pendingTwin));
        }
        int parentCount = c.parents().size();
        if (parentCount == 0 || parentCount > size) {
            return reject(InsertRejection.MALFORMED_PARENTS, c, parentCount + " parents for a committee of " + size, null);
        }
        return null;
    }

    /**
     * One pass over the parents of {@code c} (whose parent round is not below GC): resolve, check their
     * round, collect the author mask and stake; then the quorum when none is missing.
     */
    ParentScan scanParents(Certificate c) {
        List<Digest> parents = c.parents();
        int parentCount = parents.size();
        long[] mask = new long[index.words()];
        long stake = 0;
        int missing = 0;
        long parentRound = c.round() - 1;
        for (int i = 0; i < parentCount; i++) {
            Digest p = parents.get(i);
            Vertex v = index.get(p);
            if (v == null) {
                missing++;
                continue;
            }
            if (v.round() != parentRound) {
                return new ParentScan(new Rejection(InsertRejection.PARENT_WRONG_ROUND, c, "parent " + p.shortHex()
                        + " is in round " + v.round() + ", expected " + parentRound, null), 0, null);
            }
            int a = v.author();
            long bit = 1L << (a & 63);
            if ((mask[a >>> 6] & bit) == 0) {
                mask[a >>> 6] |= bit;
                stake += stakes[a];
            }
        }
        if (missing > 0) return new ParentScan(null, missing, null);
        if (stake < quorum) {
            return new ParentScan(new Rejection(InsertRejection.PARENT_QUORUM, c, "parents carry stake " + stake
                    + ", below the quorum " + quorum, null), 0, null);
        }
        return new ParentScan(null, 0, mask);
    }

    /**
     * Checks a released pending certificate, whose parents are all present (or below GC), and its slot;
     * returns null when it may enter.
     */
    Rejection checkReleased(Certificate c, long gcRound) {
        Rejection r = checkParents(c, gcRound);
        if (r == null && index.vertex(c.author(), c.round()) != null) {
            Vertex twin = index.vertex(c.author(), c.round());
            r = new Rejection(InsertRejection.EQUIVOCATION, c, "author " + c.author()
                    + " already has certificate " + twin.digest().shortHex(), twin.certificate());
        }
        return r;
    }

    /** Checks parents that are all present (or below GC); returns null when they pass. */
    private Rejection checkParents(Certificate c, long gcRound) {
        if (c.round() - 1 < gcRound) return null;
        Rejection r = checkHeldParentRounds(c);
        if (r != null) return r;
        long stake = 0;
        for (Digest p : c.parents()) stake += stakes[index.get(p).author()];
        if (stake < quorum) {
            return new Rejection(InsertRejection.PARENT_QUORUM, c, "parents carry stake " + stake
                    + ", below the quorum " + quorum, null);
        }
        return null;
    }

    private Rejection checkHeldParentRounds(Certificate c) {
        for (Digest p : c.parents()) {
            Vertex v = index.get(p);
            if (v != null && v.round() != c.round() - 1) {
                return new Rejection(InsertRejection.PARENT_WRONG_ROUND, c, "parent " + p.shortHex() + " is in round "
                        + v.round() + ", expected " + (c.round() - 1), null);
            }
        }
        return null;
    }

    /** The parent-author mask of {@code c}, whose parents are all present (empty when they are below GC). */
    long[] maskOf(Certificate c, long gcRound) {
        long[] mask = new long[index.words()];
        if (c.round() - 1 >= gcRound) {
            for (Digest p : c.parents()) {
                int a = index.get(p).author();
                mask[a >>> 6] |= 1L << (a & 63);
            }
        }
        return mask;
    }

    static InsertOutcome reject(InsertRejection reason, Certificate c, String detail, Certificate existing) {
        return InsertOutcome.rejected(new Rejection(reason, c, detail, existing));
    }
}
