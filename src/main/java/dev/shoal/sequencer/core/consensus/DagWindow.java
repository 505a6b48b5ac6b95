package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.consensus.ConsensusState.CommittedAnchor;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.Vertex;
import dev.shoal.sequencer.core.types.Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture of the last rounds of this node's DAG for people (the explorer): the certificates with
 * their parent authors, which of them are settled, the anchor slots of the rounds and the leader
 * reputation. Captured on the consensus loop from its live state, so it costs a walk of the window's
 * rounds and nothing more; immutable once built (certificates are immutable).
 *
 * <p>An anchor slot is a round where the ordering looked, or looks, for a leader's certificate
 * (every other round after the last committed anchor). Its status is COMMITTED (an anchor committed
 * there), SKIPPED (a later anchor was committed first, so this round's leader never was) or PENDING
 * (after the last committed anchor; its leader under the current schedule is known). A committed
 * anchor's {@code support} is the stake of next-round certificates naming it as a parent; with at
 * least the validity threshold (f+1) it meets the direct commit rule, with less it was ordered only
 * through a later anchor's causal history (indirect).
 */
public record DagWindow(long fromRound, long toRound, long gcRound, long lastCommitIndex, long lastAnchorRound,
                        long validityThreshold, List<Entry> certificates, List<AnchorSlot> anchors, List<Score> reputation) {

    /**
     * One certificate of the window. Settled: its round is at or below its author's last committed
     * round, so it was ordered, or never will be (a skipped anchor's certificate that no later anchor
     * reached); which commit holds it is in the commit log, not in the live state.
     */
    public record Entry(Certificate certificate, int[] parentAuthors, boolean settled) {}

    public enum SlotStatus { COMMITTED, SKIPPED, PENDING }

    /** An anchor slot: its round, its leader (-1 for a skipped slot: the schedule of that time is not kept) and status. */
    public record AnchorSlot(long round, int leader, SlotStatus status, long support, boolean direct, boolean present) {}

    /** A validator's leader reputation: its factor, its weight in the schedule (stake x factor), votes and skips counted. */
    public record Score(int validator, long factor, long weight, long votes, long skips) {}

    public DagWindow {
        certificates = List.copyOf(certificates);
        anchors = List.copyOf(anchors);
        reputation = List.copyOf(reputation);
    }

    /**
     * Captures the last {@code rounds} rounds (at most) that the DAG holds. Must run on the thread
     * that owns {@code dag} and {@code consensus}.
     */
    public static DagWindow capture(Dag dag, Consensus consensus, int rounds) {
        if (rounds < 1) throw new IllegalArgumentException("a window holds at least one round, got " + rounds);
        long to = dag.highestRound();
        long from = Math.max(dag.gcRound(), to - rounds + 1);
        int n = dag.committee().size();

        List<Entry> entries = new ArrayList<>();
        for (long r = from; r <= to; r++) {
            for (int a = 0; a < n; a++) {
                Vertex v = dag.vertex(a, r);
                if (v != null) entries.add(new Entry(v.certificate(), v.parentAuthors(), r >= 1 && r <= consensus.lastCommittedRound(a)));
            }
        }

        long validity = dag.committee().validityThreshold();
        List<AnchorSlot> slots = new ArrayList<>();
        long last = consensus.lastCommittedRound();
        // The consensus remembers the anchors of its last gcDepth + 2 rounds; when that reaches back to
        // genesis, the first instance started at round 1 (as after anchor "round 0").
        long remembered = Math.max(0, last - consensus.config().gcDepth() - 1);
        long previous = remembered <= 1 ? 0 : -1;
        for (CommittedAnchor anchor : consensus.committedAnchors(remembered, last)) {
            // An instance looks at every other round after the previous anchor: those before this one were skipped.
            if (previous >= 0) {
                for (long r = previous + 1; r < anchor.round(); r += 2) {
                    if (r >= from && r <= to) slots.add(slot(dag, r, -1, SlotStatus.SKIPPED, validity));
                }
            }
            if (anchor.round() >= from && anchor.round() <= to) slots.add(slot(dag, anchor.round(), anchor.author(), SlotStatus.COMMITTED, validity));
            previous = anchor.round();
        }
        for (long r = Math.max(from, last + 1); r <= to; r++) {
            if (consensus.isAnchorCandidate(r)) slots.add(slot(dag, r, consensus.leader(r), SlotStatus.PENDING, validity));
        }

        ReputationState rep = consensus.reputation();
        List<Long> votes = rep.votes(), skips = rep.skips();
        List<Score> scores = new ArrayList<>(n);
        for (int i = 0; i < n; i++) scores.add(new Score(i, rep.factor(i), consensus.schedule().weight(i), votes.get(i), skips.get(i)));
        return new DagWindow(from, to, dag.gcRound(), consensus.lastCommitIndex(), consensus.lastCommittedRound(), validity,
                entries, slots, scores);
    }

    private static AnchorSlot slot(Dag dag, long round, int leader, SlotStatus status, long validity) {
        Vertex v = leader >= 0 ? dag.vertex(leader, round) : null;
        long support = v == null ? 0 : dag.supportStake(v);
        return new AnchorSlot(round, leader, status, support, status == SlotStatus.COMMITTED && support >= validity, v != null);
    }
}
