package dev.shoal.sequencer.core.consensus;

import static dev.shoal.sequencer.core.dag.DagBuilder.name;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.consensus.CommittedSubDag.SkippedAnchor;
import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leader schedule, reputation and the re-interpretation of a chain when the schedule changes. */
class ReputationTest {
    private final Committee committee = DagBuilder.committee(4);

    @Test
    void scheduleIsDeterministicAndStakeWeighted() {
        ConsensusConfig config = ConsensusConfig.DEFAULT;
        Committee weighted = DagBuilder.committee(1, 1, 1, 97);
        LeaderSchedule a = new LeaderSchedule(weighted, ReputationState.initial(4, config));
        LeaderSchedule b = new LeaderSchedule(weighted, ReputationState.initial(4, config));
        int heavy = 0;
        for (long r = 1; r <= 1000; r++) {
            assertThat(a.leader(r)).isEqualTo(b.leader(r));
            if (a.leader(r) == 3) heavy++;
        }
        // Expected 970 of 1000; the draw is a fixed function of (epoch, round), so this count is fixed too.
        assertThat(heavy).isBetween(940, 995);
        // Every validator leads some round with equal weights.
        LeaderSchedule equal = new LeaderSchedule(committee, ReputationState.initial(4, config));
        int[] counts = new int[4];
        for (long r = 1; r <= 400; r++) counts[equal.leader(r)]++;
        for (int c : counts) assertThat(c).isBetween(60, 140);
    }

    @Test
    void reputationFactorsShiftTheDraw() {
        LeaderSchedule s = new LeaderSchedule(committee, ReputationState.withFactors(List.of(1L, 1000L, 1000L, 1000L)));
        assertThat(s.weight(0)).isEqualTo(1);
        assertThat(s.totalWeight()).isEqualTo(3001);
        int lowLed = 0;
        for (long r = 1; r <= 1000; r++) if (s.leader(r) == 0) lowLed++;
        assertThat(lowLed).isLessThan(10);
        // Nobody is excluded forever: weight stays >= 1.
        assertThat(s.weight(0)).isPositive();
    }

    @Test
    void windowScoresVotesAndSkipsThenResets() {
        ConsensusConfig config = ConsensusConfig.DEFAULT.withReputationUpdatePeriod(2);
        ReputationState r0 = ReputationState.initial(4, config);
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 2);
        CommittedSubDag c1 = new CommittedSubDag(1, List.of(b.get("A1")), List.of(0, 1, 1), List.of());
        CommittedSubDag c2 = new CommittedSubDag(2, List.of(b.get("A2")), List.of(1, 2), List.of(new SkippedAnchor(1, 2)));
        ReputationState r1 = r0.record(c1, config);
        assertThat(r1.sameTable(r0)).isTrue();
        assertThat(r1.commitsInWindow()).isEqualTo(1);
        assertThat(r1.votes()).containsExactly(1L, 2L, 0L, 0L);
        ReputationState r2 = r1.record(c2, config);
        // A: 1 vote of 2 commits -> active; B: 3 -> active; C: skipped -> failed; D: no votes -> inactive.
        assertThat(r2.factors()).containsExactly(100L, 100L, 1L, 10L);
        assertThat(r2.updates()).isEqualTo(1);
        assertThat(r2.commitsInWindow()).isZero();
        assertThat(r2.votes()).containsOnly(0L);
        assertThat(r2.sameTable(r1)).isFalse();
    }

    @Test
    void aValidatorThatNeverLinksToAnchorsLosesWeight() {
        ConsensusConfig config = ConsensusConfig.DEFAULT.withReputationUpdatePeriod(4);
        Node node = new Node(committee, config);
        DagBuilder b = new DagBuilder(committee).round(1, "*");
        node.deliverAll(b.certificates());
        // D never links to the round's anchor (under the schedule in effect when the round is built).
        for (long r = 2; r <= 14; r++) {
            String prevAnchor = name(node.consensus.leader(r - 1), r - 1);
            for (int a = 0; a < 4; a++) {
                boolean excludeAnchor = a == 3 && !prevAnchor.startsWith("D");
                b.add(r, a, excludeAnchor ? "[-" + prevAnchor + "]" : "*");
            }
            for (int a = 0; a < 4; a++) node.deliver(b.get(name(a, r)));
        }
        Prefix.check(committee, config, node.commits, "reputation");
        assertThat(node.consensus.reputation().updates()).isGreaterThanOrEqualTo(2);
        assertThat(node.consensus.reputation().factor(3)).isEqualTo(config.inactiveWeight());
        assertThat(node.consensus.reputation().factor(0)).isEqualTo(config.activeWeight());
    }

    /**
     * Node Y misses one supporter of the round-1 anchor until the end: it sees the chain [anchor 3 ->
     * anchor 1], commits anchor 1 indirectly, the reputation table changes after that commit (period 1),
     * and the rest of the chain is re-evaluated under the new schedule. Node X commits anchor 1 directly
     * and goes on. Their commit sequences are byte-identical.
     */
    @Test
    void reputationUpdateInTheMiddleOfAnIndirectChainAgreesWithDirectCommits() {
        Node[] nodes = directAndIndirect(ConsensusConfig.DEFAULT.withReputationUpdatePeriod(1));
        // The table changed right after the first commit: everyone had 0 votes in that window.
        ConsensusConfig config = nodes[0].config;
        ReputationState afterFirst = ReputationState.initial(4, config).record(nodes[0].commits.get(0), config);
        assertThat(afterFirst.sameTable(ReputationState.initial(4, config))).isFalse();
    }

    /**
     * Without a table change the chain [anchor 3 -> anchor 1] is not continued either: after anchor 1 the
     * next instance starts at round 2 (pipelining), which is what the node that committed anchor 1
     * directly does. Continuing the chain would commit anchor 3 next and skip round 2 on one node only.
     */
    @Test
    void withoutATableChangeTheChainIsStillReevaluatedFromTheNextRound() {
        Node[] nodes = directAndIndirect(ConsensusConfig.DEFAULT.withReputationUpdatePeriod(1_000_000));
        assertThat(nodes[1].anchorRounds()).startsWith(1L, 2L, 3L);
        assertThat(nodes[1].consensus.reputation().updates()).isZero();
    }

    /** Returns {direct node X, indirect node Y} after both saw the whole DAG; asserts they agree. */
    private Node[] directAndIndirect(ConsensusConfig config) {
        LeaderSchedule initial = new LeaderSchedule(committee, ReputationState.initial(4, config));
        int l1 = initial.leader(1);
        String a1 = name(l1, 1);
        int s1 = (l1 + 1) % 4;
        int s2 = (l1 + 2) % 4;
        DagBuilder b = new DagBuilder(committee).round(1, "*");
        for (int a = 0; a < 4; a++) b.add(2, a, a == s1 || a == s2 ? "*" : "[-" + a1 + "]");
        String late = name(s2, 2);
        b.round(3, "A -> [-" + late + "], B -> [-" + late + "], C -> [-" + late + "], D -> [-" + late + "]");
        b.fullRounds(4, 12);

        Node x = new Node(committee, config);
        x.deliverAll(b.certificates());

        Node y = new Node(committee, config);
        List<Certificate> withheld = new ArrayList<>(b.certificates());
        withheld.remove(b.get(late));
        List<CommittedSubDag> firstBatch = null;
        for (Certificate c : withheld) {
            List<CommittedSubDag> out = y.deliver(c);
            if (firstBatch == null && !out.isEmpty()) {
                firstBatch = out;
                // Y decided from round 4, where only the chain through anchor 3 could commit anchor 1.
                assertThat(c.round()).isEqualTo(4);
                assertThat(y.dag.supportStake(y.dag.vertex(b.get(a1).digest()))).isLessThan(committee.validityThreshold());
            }
        }
        y.deliver(b.get(late));

        assertThat(firstBatch).isNotNull();
        assertThat(firstBatch.get(0).anchor()).isEqualTo(b.get(a1));
        assertThat(x.commits.get(0).anchor()).isEqualTo(b.get(a1));
        assertThat(x.commits.size()).isGreaterThan(5);
        assertThat(y.commitBytes()).isEqualTo(x.commitBytes());
        assertThat(y.consensus.state()).isEqualTo(x.consensus.state());
        Prefix.check(committee, config, x.commits, "direct node");
        Prefix.check(committee, config, y.commits, "indirect node");
        return new Node[] {x, y};
    }
}
