package dev.shoal.sequencer.sim;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safety properties of one run, checked on the commit sequences the honest nodes published:
 * agreement (prefix by certificate digests), no certificate committed twice, no batch output twice
 * (exactly-once output), gap-free commit indexes, and causal history committed before its anchor.
 * Honest re-proposal is checked too: exactly-once output must never have to skip a batch that an
 * honest validator listed again after an honest certificate already output it (the skip would hide
 * an honest validator proposing a committed batch a second time).
 */
final class CommitChecker {
    private final long gcDepth;
    private final java.util.function.IntPredicate honest;

    CommitChecker(long gcDepth) {
        this(gcDepth, author -> false);
    }

    /** @param honest which authors are honest (their duplicate listings are violations) */
    CommitChecker(long gcDepth, java.util.function.IntPredicate honest) {
        this.gcDepth = gcDepth;
        this.honest = honest;
    }

    /** Violations of one node's own sequence. */
    List<String> checkNode(int node, List<CommittedSubDag> seq, Map<Digest, Certificate> known) {
        List<String> v = new ArrayList<>();
        Set<Digest> committed = new HashSet<>();
        Map<Digest, Integer> outputBy = new HashMap<>();
        Map<Integer, Long> highestByAuthor = new HashMap<>();
        for (int i = 0; i < seq.size(); i++) {
            CommittedSubDag s = seq.get(i);
            long expected = i == 0 ? s.index() : seq.get(i - 1).index() + 1;
            if (i == 0 && s.index() != firstIndex()) {
                v.add("node " + node + ": first commit index is " + s.index() + ", expected " + firstIndex());
            }
            if (s.index() != expected) {
                v.add("node " + node + ": commit index gap, " + seq.get(i - 1).index() + " then " + s.index());
                return v;
            }
            List<Certificate> certs = s.certificates();
            if (certs.isEmpty() || !certs.get(certs.size() - 1).digest().equals(s.anchor().digest())) {
                v.add("node " + node + ": commit " + s.index() + " does not end with its anchor");
            }
            List<Digest> output = s.batches();
            int next = 0;
            for (Certificate c : certs) {
                if (!committed.add(c.digest())) {
                    v.add("node " + node + ": certificate " + c + " committed twice (again at index " + s.index() + ")");
                    return v;
                }
                for (Digest b : c.header().batchDigests()) {
                    if (next < output.size() && output.get(next).equals(b)) {
                        next++;
                        if (outputBy.putIfAbsent(b, c.author()) != null) {
                            v.add("node " + node + ": batch " + b + " committed twice (again in " + c + " at index " + s.index() + ")");
                            return v;
                        }
                        continue;
                    }
                    // Skipped by exactly-once output. From an honest author, after an honest output of it,
                    // it is a batch given back by an abandoned header or an orphan that could still commit.
                    Integer first = outputBy.get(b);
                    if (honest.test(c.author()) && first != null && honest.test(first)) {
                        v.add("node " + node + ": honest validator " + c.author() + " proposed batch " + b
                                + " again after it was committed (in " + c + " at index " + s.index() + ")");
                        return v;
                    }
                }
                for (Digest p : c.parents()) {
                    if (committed.contains(p)) continue;
                    Certificate parent = known.get(p);
                    if (parent == null) {
                        v.add("node " + node + ": commit " + s.index() + " certificate " + c + " has a parent nobody certified");
                        return v;
                    }
                    if (parent.round() == 0) continue;
                    // Skipped legitimately: the author already has a later certificate committed,
                    // or the parent is below the GC round of this anchor.
                    if (highestByAuthor.getOrDefault(parent.author(), -1L) >= parent.round()) continue;
                    if (parent.round() + gcDepth < s.anchor().round()) continue;
                    v.add("node " + node + ": commit " + s.index() + " certificate " + c + " committed before its parent " + parent);
                    return v;
                }
                highestByAuthor.merge(c.author(), c.round(), Math::max);
            }
        }
        return v;
    }

    /** Agreement: the shorter sequence is a prefix of the longer one, compared by certificate digests. */
    List<String> checkAgreement(int a, List<CommittedSubDag> sa, int b, List<CommittedSubDag> sb) {
        int n = Math.min(sa.size(), sb.size());
        for (int i = 0; i < n; i++) {
            CommittedSubDag x = sa.get(i);
            CommittedSubDag y = sb.get(i);
            if (x.index() != y.index() || !digests(x).equals(digests(y)) || !x.batches().equals(y.batches())) {
                return List.of("agreement: nodes " + a + " and " + b + " differ at position " + i + " (index " + x.index()
                        + " anchor " + x.anchor() + " vs index " + y.index() + " anchor " + y.anchor() + ")");
            }
        }
        return List.of();
    }

    private static List<Digest> digests(CommittedSubDag s) {
        List<Digest> d = new ArrayList<>(s.certificates().size());
        for (Certificate c : s.certificates()) d.add(c.digest());
        return d;
    }

    private static long firstIndex() {
        return 1; // CommittedSubDag: indexes start at 1
    }
}
