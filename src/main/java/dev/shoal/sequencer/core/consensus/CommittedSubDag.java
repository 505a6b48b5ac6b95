package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.Encodable;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One output of the ordering: an anchor and the part of its causal history not ordered before,
 * linearised by (round, validator index). The anchor is the only certificate of its round in the
 * sub-DAG, so it is always last.
 *
 * <p>Commit indexes start at 1 and have no gaps; 0 means "nothing committed yet".
 *
 * <p>Reputation inputs travel with the commit so the reputation state can be recomputed from the
 * commit log alone: the authors of the ordered certificates that have the committed anchor of the
 * previous round as a parent ({@link #anchorVoters()}, ascending, one entry per such certificate),
 * and the anchor candidates passed over between the previous anchor and this one
 * ({@link #skippedAnchors()}).
 *
 * <p>Exactly-once output: {@link #batches()} are the batch digests this commit outputs, in
 * certificate order then header order, without any batch the committed history already carried or
 * listed earlier in this commit ({@link #skippedBatches()} are the listings left out).
 *
 * <p>Immutable. The canonical encoding carries the full certificates.
 */
public final class CommittedSubDag implements Encodable {
    /** An anchor candidate round whose anchor was not committed, and the leader it had. */
    public record SkippedAnchor(long round, int leader) {}

    private final long index;
    private final List<Certificate> certificates;
    private final List<Integer> anchorVoters;
    private final List<SkippedAnchor> skippedAnchors;
    private final List<Digest> batches;

    /** A commit whose output is every batch its certificates list, each once (no earlier commit carried any). */
    public CommittedSubDag(long index, List<Certificate> certificates, List<Integer> anchorVoters,
                           List<SkippedAnchor> skippedAnchors) {
        this(index, certificates, anchorVoters, skippedAnchors, distinctBatches(certificates));
    }

    /** @param batches the batches this commit outputs: a subsequence of the batches its certificates list */
    public CommittedSubDag(long index, List<Certificate> certificates, List<Integer> anchorVoters,
                           List<SkippedAnchor> skippedAnchors, List<Digest> batches) {
        if (index < 1) throw new IllegalArgumentException("commit indexes start at 1, got " + index);
        if (certificates.isEmpty()) throw new IllegalArgumentException("a committed sub-DAG holds at least its anchor");
        this.index = index;
        this.certificates = List.copyOf(certificates);
        this.anchorVoters = List.copyOf(anchorVoters);
        this.skippedAnchors = List.copyOf(skippedAnchors);
        this.batches = List.copyOf(batches);
        checkSubsequence(this.certificates, this.batches);
        Certificate anchor = anchor();
        for (int i = 0; i + 1 < this.certificates.size(); i++) {
            Certificate a = this.certificates.get(i);
            Certificate b = this.certificates.get(i + 1);
            if (a.round() > b.round() || (a.round() == b.round() && a.author() >= b.author())) {
                throw new IllegalArgumentException("certificates are not ordered by (round, author) at position " + i);
            }
        }
        if (this.certificates.size() > 1 && this.certificates.get(this.certificates.size() - 2).round() >= anchor.round()) {
            throw new IllegalArgumentException("the anchor must be the only certificate of its round");
        }
    }

    /** Gap-free commit index, from 1. */
    public long index() { return index; }

    /** The anchor: the last certificate. */
    public Certificate anchor() { return certificates.get(certificates.size() - 1); }

    public long anchorRound() { return anchor().round(); }

    /** Ordered certificates, anchor last. */
    public List<Certificate> certificates() { return certificates; }

    public List<Integer> anchorVoters() { return anchorVoters; }

    public List<SkippedAnchor> skippedAnchors() { return skippedAnchors; }

    /** The batch digests this commit outputs, in order, each at most once (exactly-once output). */
    public List<Digest> batches() { return batches; }

    /** The batch listings of this commit's certificates that are not output (duplicates), in order. */
    public List<Digest> skippedBatches() {
        List<Digest> listed = new ArrayList<>();
        for (Certificate c : certificates) listed.addAll(c.header().batchDigests());
        return skipped(listed, batches);
    }

    /** The listings left out of {@code output}, which is {@code listed} less some entries, in order. */
    public static List<Digest> skipped(List<Digest> listed, List<Digest> output) {
        List<Digest> skipped = new ArrayList<>();
        int next = 0;
        for (Digest d : listed) {
            if (next < output.size() && output.get(next).equals(d)) next++;
            else skipped.add(d);
        }
        return skipped;
    }

    private static List<Digest> distinctBatches(List<Certificate> certificates) {
        LinkedHashSet<Digest> out = new LinkedHashSet<>();
        for (Certificate c : certificates) out.addAll(c.header().batchDigests());
        return List.copyOf(out);
    }

    /** The output batches must be the listed ones in order, some left out, none twice. */
    private static void checkSubsequence(List<Certificate> certificates, List<Digest> batches) {
        if (new HashSet<>(batches).size() != batches.size()) {
            throw new IllegalArgumentException("a committed sub-DAG outputs a batch twice");
        }
        int next = 0;
        for (Certificate c : certificates) {
            for (Digest d : c.header().batchDigests()) {
                if (next < batches.size() && batches.get(next).equals(d)) next++;
            }
        }
        if (next != batches.size()) {
            throw new IllegalArgumentException("the output batches are not the certificates' batches in order");
        }
    }

    /** Digests of the ordered certificates, in order. */
    public List<Digest> digests() {
        return certificates.stream().map(Certificate::digest).toList();
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(index);
        out.list(certificates, (w, c) -> c.encode(w));
        out.list(anchorVoters, (w, v) -> w.u32(v));
        out.list(skippedAnchors, (w, s) -> w.u64(s.round()).u32(s.leader()));
        out.list(batches, (w, d) -> d.encode(w));
    }

    public static CommittedSubDag decode(CanonicalReader in) {
        long index = in.u64NonNegative("commit index");
        List<Certificate> certs = in.list(Certificate::decode, 64);
        List<Integer> voters = in.list(r -> r.u32AsInt("voter"), 4);
        List<SkippedAnchor> skipped = in.list(r -> new SkippedAnchor(r.u64NonNegative("round"), r.u32AsInt("leader")), 12);
        List<Digest> batches = in.list(Digest::decode, Digest.LENGTH);
        try {
            return new CommittedSubDag(index, certs, voters, skipped, batches);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid committed sub-DAG: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommittedSubDag c && index == c.index && certificates.equals(c.certificates)
                && anchorVoters.equals(c.anchorVoters) && skippedAnchors.equals(c.skippedAnchors)
                && batches.equals(c.batches);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + anchor().hashCode();
    }

    @Override
    public String toString() {
        return "CommittedSubDag[#" + index + " anchor r" + anchorRound() + " a" + anchor().author() + " "
                + anchor().digest().shortHex() + ", " + certificates.size() + " certificates]";
    }
}
