package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.Arrays;
import java.util.List;

/**
 * Leader reputation derived only from the committed prefix, so every honest validator holds the same
 * value after the same commits.
 *
 * <p>Within a window of {@link ConsensusConfig#reputationUpdatePeriod()} commits each validator
 * collects <em>votes</em> (its ordered certificates that have the committed anchor of the previous
 * round as a parent, counted only while that round is inside the GC window) and <em>skips</em> (its anchor slot was passed over). When the window is full the
 * factor table is recomputed: skipped at least once: failed weight; otherwise at least half as many
 * votes as commits in the window: active weight; otherwise inactive weight. The accumulators then
 * restart. Factors are integers >= 1, so nobody is excluded forever.
 *
 * <p>Immutable.
 */
public final class ReputationState implements Encodable {
    private final long[] factors;
    private final long updates;
    private final int commitsInWindow;
    private final long[] votes;
    private final long[] skips;

    private ReputationState(long[] factors, long updates, int commitsInWindow, long[] votes, long[] skips) {
        this.factors = factors;
        this.updates = updates;
        this.commitsInWindow = commitsInWindow;
        this.votes = votes;
        this.skips = skips;
    }

    /** Every validator starts active, so the first schedule is purely stake-weighted. */
    public static ReputationState initial(int committeeSize, ConsensusConfig config) {
        long[] f = new long[committeeSize];
        Arrays.fill(f, config.activeWeight());
        return new ReputationState(f, 0, 0, new long[committeeSize], new long[committeeSize]);
    }

    /**
     * A state with the given factor table and empty accumulators (tests, simulations, and operators
     * starting an epoch with a known table).
     */
    public static ReputationState withFactors(List<Long> factors) {
        long[] f = factors.stream().mapToLong(Long::longValue).toArray();
        if (f.length == 0) throw new IllegalArgumentException("empty reputation table");
        for (long x : f) if (x < 1 || x > 1_000_000) throw new IllegalArgumentException("factor out of range: " + x);
        return new ReputationState(f, 0, 0, new long[f.length], new long[f.length]);
    }

    public int size() { return factors.length; }

    /** The reputation factor of each validator in effect now. */
    public List<Long> factors() { return Arrays.stream(factors).boxed().toList(); }

    public long factor(int validator) { return factors[validator]; }

    /** How many times the factor table was recomputed. */
    public long updates() { return updates; }

    public int commitsInWindow() { return commitsInWindow; }

    public List<Long> votes() { return Arrays.stream(votes).boxed().toList(); }

    public List<Long> skips() { return Arrays.stream(skips).boxed().toList(); }

    /** True when both states give every validator the same factor (the same leader schedule). */
    public boolean sameTable(ReputationState other) {
        return Arrays.equals(factors, other.factors);
    }

    /** The state after one more commit with the given reputation inputs. */
    public ReputationState record(CommittedSubDag commit, ConsensusConfig config) {
        return record(commit.anchorVoters(), commit.skippedAnchors(), config);
    }

    /** The state after one more commit whose anchor had these voters and which passed over these anchors. */
    public ReputationState record(List<Integer> anchorVoters, List<CommittedSubDag.SkippedAnchor> skippedAnchors,
                                  ConsensusConfig config) {
        long[] v = votes.clone();
        long[] s = skips.clone();
        for (int voter : anchorVoters) v[voter]++;
        for (CommittedSubDag.SkippedAnchor skipped : skippedAnchors) s[skipped.leader()]++;
        int commits = commitsInWindow + 1;
        if (commits < config.reputationUpdatePeriod()) {
            return new ReputationState(factors, updates, commits, v, s);
        }
        long[] f = new long[factors.length];
        for (int i = 0; i < f.length; i++) {
            if (s[i] > 0) f[i] = config.failedWeight();
            else if (2 * v[i] >= commits) f[i] = config.activeWeight();
            else f[i] = config.inactiveWeight();
        }
        return new ReputationState(f, updates + 1, 0, new long[f.length], new long[f.length]);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(updates).u32(commitsInWindow);
        out.u64(factors.length);
        for (int i = 0; i < factors.length; i++) out.u64(factors[i]).u64(votes[i]).u64(skips[i]);
    }

    public static ReputationState decode(CanonicalReader in) {
        long updates = in.u64NonNegative("reputation updates");
        int commits = in.u32AsInt("commits in window");
        long n = in.u64();
        if (n < 1 || n > in.limits().maxListLength() || n * 24 > in.remaining()) {
            throw new CodecException("invalid reputation table size " + Long.toUnsignedString(n));
        }
        long[] f = new long[(int) n];
        long[] v = new long[(int) n];
        long[] s = new long[(int) n];
        for (int i = 0; i < n; i++) {
            f[i] = in.u64();
            v[i] = in.u64NonNegative("votes");
            s[i] = in.u64NonNegative("skips");
            if (f[i] < 1 || f[i] > 1_000_000) throw new CodecException("reputation factor out of range: " + f[i]);
        }
        return new ReputationState(f, updates, commits, v, s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReputationState r && updates == r.updates && commitsInWindow == r.commitsInWindow
                && Arrays.equals(factors, r.factors) && Arrays.equals(votes, r.votes) && Arrays.equals(skips, r.skips);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(factors) * 31 + Long.hashCode(updates) * 17 + commitsInWindow;
    }

    @Override
    public String toString() {
        return "ReputationState[factors=" + Arrays.toString(factors) + " updates=" + updates + " window="
                + commitsInWindow + " votes=" + Arrays.toString(votes) + " skips=" + Arrays.toString(skips) + "]";
    }
}
