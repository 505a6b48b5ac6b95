package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.consensus.CommittedSubDag.SkippedAnchor;
import dev.shoal.sequencer.core.consensus.ConsensusState.CommittedAnchor;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.Vertex;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Bullshark commit rule with Shoal pipelining and leader reputation, over a {@link Dag}.
 *
 * <p><b>Instances.</b> Ordering runs as a sequence of Bullshark instances. With {@code L} the round of
 * the last committed anchor, the current instance's anchor candidates are rounds {@code L+1, L+3,
 * L+5, ...}, each with the leader the current {@link LeaderSchedule} gives it. An instance ends with
 * its first ordered anchor {@code e}; the next instance starts at {@code e+1} (Shoal pipelining: in the
 * good case every round has a committed anchor). Candidates two rounds apart are what makes indirect
 * commits safe: an anchor with f+1 support in round r+1 is reachable from every certificate of round
 * r+2 and above (quorum intersection), which does not hold for a candidate in round r+1.
 *
 * <p><b>Direct commit.</b> A candidate anchor with round-(r+1) children carrying at least f+1 stake.
 * <b>Indirect commit.</b> From a directly committed anchor, walk back through the instance's earlier
 * candidates, keeping each one reachable from the last kept one; the earliest kept anchor is the
 * instance's first ordered anchor, the same at every honest validator.
 *
 * <p><b>Reputation and re-interpretation.</b> The schedule depends on the committed prefix, so only
 * that earliest anchor is committed from a chain; the reputation state is then updated, and the next
 * instance is evaluated from scratch with the schedule now in effect. (Continuing down the rest of
 * a chain whenever the table did not change is unsafe with pipelining: a validator that committed
 * anchor e directly starts its next instance at e+1, while the chain's next anchor is at e+2.)
 *
 * <p><b>Linearisation.</b> Depth-first over the anchor's causal history, skipping certificates at or
 * below their author's last committed round or below the GC bound ({@code L - gcDepth}, with L before
 * this commit), then a stable sort by (round, author). The anchor comes last.
 *
 * <p><b>Driving it.</b> Call {@link #process} once for each certificate that entered the DAG, in the
 * order the DAG reported them; then {@code dag.gc(lastCommittedRound())} and process whatever that
 * released. Not thread-safe; no I/O, no clock.
 */
public final class Consensus {
    private final Committee committee;
    private final Dag dag;
    private final ConsensusConfig config;
    private final long validity;

    private long lastCommitIndex;
    private long lastAnchorRound;
    private final long[] lastCommittedRounds;
    /** Committed anchors of rounds lastAnchorRound - gcDepth - 1 .. lastAnchorRound. */
    private final AnchorWindow recentAnchors;
    private ReputationState reputation;
    private LeaderSchedule schedule;
    /** The batches the last commits output: exactly-once output skips a batch listed again. */
    private final BatchWindow batchWindow;

    private static final int LEADER_CACHE = 64;
    private final long[] cachedRound = new long[LEADER_CACHE];
    private final int[] cachedLeader = new int[LEADER_CACHE];

    public Consensus(Committee committee, Dag dag, ConsensusConfig config) {
        this(committee, dag, config, ConsensusState.initial(committee.size(), config));
    }

    private Consensus(Committee committee, Dag dag, ConsensusConfig config, ConsensusState state) {
        if (dag.committee().epoch() != committee.epoch() || dag.committee().size() != committee.size()) {
            throw new IllegalArgumentException("the DAG belongs to another committee");
        }
        if (dag.gcDepth() != config.gcDepth()) {
            throw new IllegalArgumentException("DAG gcDepth " + dag.gcDepth() + " differs from consensus gcDepth "
                    + config.gcDepth());
        }
        if (state.lastCommittedRounds().size() != committee.size()) {
            throw new IllegalArgumentException("consensus state is for " + state.lastCommittedRounds().size()
                    + " validators, committee has " + committee.size());
        }
        this.committee = committee;
        this.dag = dag;
        this.config = config;
        this.validity = committee.validityThreshold();
        this.lastCommitIndex = state.lastCommitIndex();
        this.lastAnchorRound = state.lastAnchorRound();
        this.lastCommittedRounds = state.lastCommittedRounds().stream().mapToLong(Long::longValue).toArray();
        this.recentAnchors = new AnchorWindow((int) config.gcDepth() + 2);
        long oldest = Math.max(0, state.lastAnchorRound() - config.gcDepth()) - 1;
        for (CommittedAnchor a : state.recentAnchors()) {
            if (a.round() < oldest || a.round() > state.lastAnchorRound()) continue;
            if (!committee.isMember(a.author())) throw new IllegalArgumentException("anchor author out of range");
            recentAnchors.put(a.round(), a.author());
        }
        this.reputation = state.reputation();
        this.batchWindow = new BatchWindow(config.batchWindow(), state.recentBatches());
        this.schedule = new LeaderSchedule(committee, reputation);
        clearLeaderCache();
    }

    /**
     * Resumes from a state taken by {@link #state()}. Load the DAG first: a fresh {@link Dag},
     * {@code dag.gc(state.lastAnchorRound())} (so certificates of the GC round enter without their
     * parents), then the window at and above {@code state.lastAnchorRound() - gcDepth} as it was when the
     * state was taken, in round order. Certificates that arrived after the state was taken may be in the
     * DAG too, as long as each is then passed to {@link #process}.
     *
     * @throws IllegalArgumentException when the state does not fit the committee or the DAG's GC round is
     *                                  above the state's (part of the window would be missing)
     */
    public static Consensus restore(Committee committee, Dag dag, ConsensusConfig config, ConsensusState state) {
        long bound = Math.max(0, state.lastAnchorRound() - config.gcDepth());
        if (dag.gcRound() > bound) {
            throw new IllegalArgumentException("DAG GC round " + dag.gcRound() + " is above the state's GC round " + bound);
        }
        return new Consensus(committee, dag, config, state);
    }

    /** A snapshot of everything {@link #restore} needs besides the DAG. */
    public ConsensusState state() {
        List<Long> rounds = Arrays.stream(lastCommittedRounds).boxed().toList();
        List<CommittedAnchor> anchors = recentAnchors.between(gcBound() - 1, lastAnchorRound);
        return new ConsensusState(lastCommitIndex, lastAnchorRound, rounds, anchors, reputation, batchWindow.snapshot());
    }

    public long lastCommitIndex() { return lastCommitIndex; }

    /** Round of the last committed anchor (0 before the first commit). */
    public long lastCommittedRound() { return lastAnchorRound; }

    /** Highest round of the validator's certificates ordered so far (linearisation skips those at or below it). */
    public long lastCommittedRound(int validator) { return lastCommittedRounds[validator]; }

    /** The lowest round linearisation still looks at: {@code lastCommittedRound() - gcDepth}, at least 0. */
    public long gcBound() { return Math.max(0, lastAnchorRound - config.gcDepth()); }

    public ReputationState reputation() { return reputation; }

    /** The committed anchors of rounds {@code from..to} still known here (the last gcDepth + 2 rounds), ascending. */
    public List<CommittedAnchor> committedAnchors(long from, long to) { return recentAnchors.between(from, to); }

    public LeaderSchedule schedule() { return schedule; }

    public ConsensusConfig config() { return config; }

    /** The leader of {@code round} under the schedule in effect now. */
    public int leader(long round) {
        int slot = (int) (round & (LEADER_CACHE - 1));
        if (cachedRound[slot] != round) {
            cachedLeader[slot] = schedule.leader(round);
            cachedRound[slot] = round;
        }
        return cachedLeader[slot];
    }

    /** True when {@code round} is an anchor candidate of the current instance (L+1, L+3, ...). */
    public boolean isAnchorCandidate(long round) {
        return round > lastAnchorRound && ((round - lastAnchorRound - 1) & 1) == 0;
    }

    private void clearLeaderCache() {
        Arrays.fill(cachedRound, -1L);
    }

    /**
     * Feeds one certificate that has entered the DAG and returns the sub-DAGs it made committable, in
     * commit order (usually none or one).
     */
    public List<CommittedSubDag> process(Certificate certificate) {
        Vertex v = dag.vertex(certificate.digest());
        if (v == null) {
            if (certificate.round() < dag.gcRound()) return List.of();
            throw new IllegalArgumentException("certificate " + certificate + " has not entered the DAG");
        }
        long round = v.round();
        boolean trigger = false;
        // As a vote for the candidate of the previous round.
        if (round >= 1 && isAnchorCandidate(round - 1)) {
            Vertex anchor = dag.vertex(leader(round - 1), round - 1);
            trigger = anchor != null && v.hasParentAuthor(anchor.author()) && dag.supportStake(anchor) >= validity;
        }
        // As a candidate anchor that arrives after its supporters.
        if (!trigger && isAnchorCandidate(round) && leader(round) == v.author()) {
            trigger = dag.supportStake(v) >= validity;
        }
        if (!trigger) return List.of();
        List<CommittedSubDag> out = new ArrayList<>(1);
        while (commitNextAnchor(out)) {
            // each iteration is one instance, evaluated under the schedule in effect
        }
        return out;
    }

    /** Evaluates the current instance; commits its first ordered anchor if one is decided. */
    private boolean commitNextAnchor(List<CommittedSubDag> out) {
        long start = lastAnchorRound + 1;
        long top = dag.highestRound() - 1;
        Vertex supported = null;
        for (long r = start; r <= top; r += 2) {
            Vertex anchor = dag.vertex(leader(r), r);
            if (anchor != null && dag.supportStake(anchor) >= validity) {
                supported = anchor;
                break;
            }
        }
        if (supported == null) return false;
        Vertex earliest = supported;
        for (long r = supported.round() - 2; r >= start; r -= 2) {
            Vertex candidate = dag.vertex(leader(r), r);
            if (candidate != null && dag.hasPath(earliest, candidate)) earliest = candidate;
        }
        commit(earliest, start, out);
        return true;
    }

    private void commit(Vertex anchor, long instanceStart, List<CommittedSubDag> out) {
        long bound = gcBound();
        List<SkippedAnchor> skipped = new ArrayList<>(0);
        for (long r = instanceStart; r < anchor.round(); r += 2) skipped.add(new SkippedAnchor(r, leader(r)));

        List<Vertex> ordered = linearise(anchor);
        int[] voters = new int[ordered.size()];
        int voterCount = 0;
        List<Certificate> certificates = new ArrayList<>(ordered.size());
        for (Vertex v : ordered) {
            certificates.add(v.certificate());
            if (v.round() > lastCommittedRounds[v.author()]) lastCommittedRounds[v.author()] = v.round();
            // Only links inside the window count: a vertex of the GC round itself may have lost its parent
            // links (a restored DAG loads it without parents), so it never counts as a vote.
            int previousAnchor = v.round() - 1 >= bound ? recentAnchors.authorAt(v.round() - 1) : -1;
            if (previousAnchor >= 0 && v.hasParentAuthor(previousAnchor)) voters[voterCount++] = v.author();
        }
        Arrays.sort(voters, 0, voterCount);
        List<Integer> voterList = new ArrayList<>(voterCount);
        for (int i = 0; i < voterCount; i++) voterList.add(voters[i]);

        CommittedSubDag subDag = new CommittedSubDag(++lastCommitIndex, certificates, voterList, skipped,
                outputBatches(certificates));
        lastAnchorRound = anchor.round();
        recentAnchors.put(anchor.round(), anchor.author());

        ReputationState next = reputation.record(subDag, config);
        if (!next.sameTable(reputation)) {
            schedule = new LeaderSchedule(committee, next);
            clearLeaderCache();
        }
        reputation = next;
        out.add(subDag);
    }

    /**
     * Exactly-once output: the batches of the ordered certificates, in order, without those the
     * committed history already carried (a re-proposal, or a batch another validator copied) and
     * without a second listing inside this commit. Reads and updates only the committed prefix's
     * window, so every honest validator outputs the same batches.
     */
    private List<dev.shoal.sequencer.core.types.Digest> outputBatches(List<Certificate> certificates) {
        List<dev.shoal.sequencer.core.types.Digest> out = new ArrayList<>();
        for (Certificate c : certificates) {
            for (var d : c.header().batchDigests()) {
                if (batchWindow.contains(d)) continue;
                batchWindow.add(d);
                out.add(d);
            }
        }
        return out;
    }

    /**
     * The anchor's not-yet-ordered causal history, sorted by (round, author); the anchor is last. The
     * traversal marks vertices in a (round - bound, author) grid, so reading the grid in order is the
     * sort (one certificate per cell).
     */
    private List<Vertex> linearise(Vertex anchor) {
        long bound = gcBound();
        int n = committee.size();
        int span = (int) (anchor.round() - bound + 1);
        Vertex[] grid = new Vertex[span * n];
        ArrayList<Vertex> stack = new ArrayList<>();
        stack.add(anchor);
        grid[(int) (anchor.round() - bound) * n + anchor.author()] = anchor;
        int count = 1;
        while (!stack.isEmpty()) {
            Vertex v = stack.remove(stack.size() - 1);
            long parentRound = v.round() - 1;
            if (parentRound < bound) continue;
            int rowStart = (int) (parentRound - bound) * n;
            for (int word = 0, words = v.parentMaskWords(); word < words; word++) {
                long bits = v.parentMaskWord(word);
                while (bits != 0) {
                    int a = word * 64 + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (parentRound <= lastCommittedRounds[a] || grid[rowStart + a] != null) continue;
                    Vertex p = dag.vertex(a, parentRound);
                    if (p == null) continue;
                    grid[rowStart + a] = p;
                    stack.add(p);
                    count++;
                }
            }
        }
        List<Vertex> ordered = new ArrayList<>(count);
        for (Vertex v : grid) if (v != null) ordered.add(v);
        return ordered;
    }
}
