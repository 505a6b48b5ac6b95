package dev.shoal.sequencer.core.consensus;

import static dev.shoal.sequencer.core.dag.DagBuilder.letter;
import static dev.shoal.sequencer.core.dag.DagBuilder.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The commit rule, one rule per test, on hand-built DAGs. */
class ConsensusTest {
    /** A schedule that never changes, so the tests can compute leaders up front. */
    private static final ConsensusConfig FIXED = ConsensusConfig.DEFAULT.withReputationUpdatePeriod(1_000_000);

    private final Committee committee = DagBuilder.committee(4);
    private final LeaderSchedule schedule = new LeaderSchedule(committee, ReputationState.initial(4, FIXED));

    private String leader(long round) {
        return letter(schedule.leader(round));
    }

    private String anchor(long round) {
        return name(schedule.leader(round), round);
    }

    @Test
    void fullyConnectedDagCommitsTheLeaderOfEveryRound() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 10);
        Node node = new Node(committee, FIXED);
        node.deliverAll(b.certificates());

        assertThat(node.anchorRounds()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        for (CommittedSubDag s : node.commits) {
            assertThat(s.index()).isEqualTo(s.anchorRound());
            assertThat(s.anchor()).isEqualTo(b.get(anchor(s.anchorRound())));
            assertThat(s.skippedAnchors()).isEmpty();
        }
        // Every certificate of rounds 1..8 is ordered exactly once, plus the anchor of round 9.
        List<Certificate> ordered = node.commits.stream().flatMap(s -> s.certificates().stream()).toList();
        assertThat(new HashSet<>(ordered)).hasSize(ordered.size());
        assertThat(ordered).hasSize(8 * 4 + 1);
        // The first commit is the round-1 anchor alone: genesis certificates are never ordered.
        assertThat(node.commits.get(0).certificates()).containsExactly(b.get(anchor(1)));
        assertThat(node.consensus.lastCommitIndex()).isEqualTo(9);
        assertThat(node.consensus.lastCommittedRound()).isEqualTo(9);
    }

    @Test
    void directCommitWaitsForFPlusOneSupport() {
        String a1 = anchor(1);
        String supporter = letter((schedule.leader(1) + 1) % 4);
        DagBuilder b = new DagBuilder(committee).round(1, "*");
        // Round 2: only the supporter links to the round-1 anchor.
        for (int a = 0; a < 4; a++) b.add(2, a, letter(a).equals(supporter) ? "*" : "[-" + a1 + "]");
        Node node = new Node(committee, FIXED);
        node.deliverAll(b.certificates());
        assertThat(node.commits).isEmpty();

        // A second supporter of round 2 reaches f+1 = 2: but round 2 is not a candidate of this instance
        // (candidates are 1, 3, 5...), and round 1 lacks direct support, so nothing commits until round 3's
        // anchor is supported.
        DagBuilder direct = new DagBuilder(committee).round(1, "*");
        String second = letter((schedule.leader(1) + 2) % 4);
        for (int a = 0; a < 4; a++) {
            boolean supports = letter(a).equals(supporter) || letter(a).equals(second);
            direct.add(2, a, supports ? "*" : "[-" + a1 + "]");
        }
        Node node2 = new Node(committee, FIXED);
        List<CommittedSubDag> out = new ArrayList<>();
        for (Certificate c : direct.certificates()) out.addAll(node2.deliver(c));
        assertThat(node2.anchorRounds()).containsExactly(1L);
        assertThat(node2.commits.get(0).anchor()).isEqualTo(direct.get(a1));
    }

    @Test
    void directCommitThresholdIsStakeWeighted() {
        // Stakes 1,1,1,4: total 7, validity (7+2)/3 = 3. D alone (stake 4) supports; A+B (2) do not.
        Committee weighted = DagBuilder.committee(1, 1, 1, 4);
        LeaderSchedule s = new LeaderSchedule(weighted, ReputationState.initial(4, FIXED));
        String a1 = name(s.leader(1), 1);
        DagBuilder b = new DagBuilder(weighted).round(1, "*");
        b.add(2, 0, "*");
        b.add(2, 1, "*");
        Node node = new Node(weighted, FIXED);
        node.deliverAll(b.certificates());
        assertThat(node.commits).isEmpty();
        b.add(2, 3, "*");
        node.deliver(b.get("D2"));
        assertThat(node.commits).singleElement().satisfies(c -> assertThat(c.anchor()).isEqualTo(b.get(a1)));
    }

    @Test
    void earlierAnchorWithAPathIsCommittedIndirectlyFirst() {
        String a1 = anchor(1);
        DagBuilder b = AnchorScenarios.indirectFirstAnchor(committee, schedule);
        Node node = new Node(committee, FIXED);
        List<List<CommittedSubDag>> perDelivery = new ArrayList<>();
        for (Certificate c : b.certificates()) perDelivery.add(node.deliver(c));

        // Round 1 lacks direct support; round 3's anchor has it and reaches round 1's anchor through the
        // supporter. Round 1 is ordered first; the next instance starts at round 2 and commits 2 and 3.
        assertThat(node.anchorRounds()).containsExactly(1L, 2L, 3L);
        assertThat(node.commits.get(0).anchor()).isEqualTo(b.get(a1));
        assertThat(node.commits.get(1).anchor()).isEqualTo(b.get(anchor(2)));
        assertThat(node.commits.get(2).anchor()).isEqualTo(b.get(anchor(3)));
        // All three came out of one delivery: the second round-4 certificate.
        assertThat(perDelivery.stream().filter(l -> !l.isEmpty()).toList()).singleElement()
                .satisfies(l -> assertThat(l).hasSize(3));
    }

    @Test
    void earlierAnchorWithoutAPathIsSkipped() {
        String a1 = anchor(1);
        // The round-3 anchor avoids the only round-2 certificate that links to the round-1 anchor.
        DagBuilder b = AnchorScenarios.skippedFirstAnchor(committee, schedule);
        Node node = new Node(committee, FIXED);
        node.deliverAll(b.certificates());

        CommittedSubDag first = node.commits.get(0);
        assertThat(first.anchor()).isEqualTo(b.get(anchor(3)));
        assertThat(first.skippedAnchors()).containsExactly(new CommittedSubDag.SkippedAnchor(1, schedule.leader(1)));
        assertThat(first.certificates()).doesNotContain(b.get(a1));
        // The skipped anchor's round-1 certificate is at or below its author's last committed round now
        // (its round-2 certificate was ordered), so it is never ordered.
        List<Certificate> all = node.commits.stream().flatMap(s -> s.certificates().stream()).toList();
        assertThat(all).doesNotContain(b.get(a1));
    }

    @Test
    void missingAnchorIsSkippedAndTheNextInstanceStartsAfterTheCommittedOne() {
        int l1 = schedule.leader(1);
        DagBuilder b = new DagBuilder(committee);
        // The round-1 leader never produced a round-1 certificate.
        for (int a = 0; a < 4; a++) if (a != l1) b.add(1, a, "*");
        b.fullRounds(2, 6);
        Node node = new Node(committee, FIXED);
        node.deliverAll(b.certificates());
        assertThat(node.commits.get(0).anchorRound()).isEqualTo(3);
        assertThat(node.commits.get(0).skippedAnchors()).containsExactly(new CommittedSubDag.SkippedAnchor(1, l1));
        // Pipelining: after the round-3 anchor the candidates are 4, 5 ... (not 5, 7).
        assertThat(node.anchorRounds()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void lineariseSortsByRoundThenAuthorAndSkipsWhatWasOrdered() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 6);
        Node node = new Node(committee, FIXED);
        node.deliverAll(b.certificates());
        Set<Certificate> seen = new HashSet<>();
        for (CommittedSubDag s : node.commits) {
            List<Certificate> cs = s.certificates();
            for (int i = 1; i < cs.size(); i++) {
                Certificate x = cs.get(i - 1);
                Certificate y = cs.get(i);
                assertThat(x.round() < y.round() || (x.round() == y.round() && x.author() < y.author()))
                        .as("order at %d of commit %d", i, s.index()).isTrue();
            }
            assertThat(cs.get(cs.size() - 1)).isEqualTo(s.anchor());
            for (Certificate c : cs) assertThat(seen.add(c)).as("ordered twice: %s", c).isTrue();
            // Causal history complete: every parent above round 0 was ordered before or in this sub-DAG.
            for (Certificate c : cs) {
                for (var p : c.parents()) {
                    Certificate parent = node.dag.get(p).orElseThrow();
                    if (parent.round() > 0) assertThat(seen).contains(parent);
                }
            }
        }
        // Commit 2 (anchor of round 2) holds the three round-1 certificates not ordered by commit 1.
        CommittedSubDag second = node.commits.get(1);
        assertThat(second.certificates()).hasSize(4);
        assertThat(second.certificates().subList(0, 3)).extracting(Certificate::round).containsOnly(1L);
    }

    @Test
    void certificatesBelowTheGcBoundAreNotLinearised() {
        ConsensusConfig shallow = FIXED.withGcDepth(3);
        // D's certificates of rounds 1..7 form a chain nobody else links to, then everyone links to D7.
        DagBuilder b = new DagBuilder(committee).round(1, "*");
        for (long r = 2; r <= 7; r++) {
            b.round(r, "A -> [-D" + (r - 1) + "], B -> [-D" + (r - 1) + "], C -> [-D" + (r - 1) + "], D -> [*]");
        }
        b.fullRounds(8, 12);
        Node node = new Node(committee, shallow);
        node.deliverAll(b.certificates());
        List<Certificate> ordered = node.commits.stream().flatMap(s -> s.certificates().stream()).toList();
        for (int i = 0; i < node.commits.size(); i++) {
            long bound = i == 0 ? 0 : Math.max(0, node.commits.get(i - 1).anchorRound() - 3);
            assertThat(node.commits.get(i).certificates()).allSatisfy(c -> assertThat(c.round()).isGreaterThanOrEqualTo(bound));
        }
        // D's hidden chain is pulled in late (here through the round-6 anchor, D's own, reached indirectly):
        // its certificates at and above the bound are ordered, D1 had fallen below it and never is.
        assertThat(ordered).contains(b.get("D2"), b.get("D3"), b.get("D4"));
        assertThat(ordered).doesNotContain(b.get("D1"));
        assertThat(node.dag.gcRound()).isEqualTo(node.consensus.gcBound());
    }

    @Test
    void anAnchorArrivingAfterItsSupportersCommitsWhenItIsProcessed() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 2);
        String a1 = anchor(1);
        var dag = new dev.shoal.sequencer.core.dag.Dag(committee, FIXED.gcDepth());
        Consensus consensus = new Consensus(committee, dag, FIXED);
        // Everything but the anchor: its children wait in the pending set.
        for (Certificate c : b.certificates()) {
            if (c.equals(b.get(a1))) continue;
            for (Certificate e : dag.insert(c).inserted()) assertThat(consensus.process(e)).isEmpty();
        }
        var outcome = dag.insert(b.get(a1));
        assertThat(outcome.inserted()).hasSize(5).first().isEqualTo(b.get(a1));
        // The DAG released the children together with the anchor; processing the anchor itself commits it.
        List<CommittedSubDag> first = consensus.process(outcome.inserted().get(0));
        assertThat(first).singleElement().satisfies(s -> assertThat(s.anchor()).isEqualTo(b.get(a1)));
        for (Certificate e : outcome.inserted().subList(1, 5)) assertThat(consensus.process(e)).isEmpty();
    }

    @Test
    void processRejectsACertificateOutsideTheDag() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 2);
        Node node = new Node(committee, FIXED);
        assertThatThrownBy(() -> node.consensus.process(b.get("A2"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void committeeOfOneCommitsEveryRound() {
        Committee solo = DagBuilder.committee(1);
        DagBuilder b = new DagBuilder(solo).fullRounds(1, 5);
        Node node = new Node(solo, ConsensusConfig.DEFAULT);
        node.deliverAll(b.certificates());
        assertThat(node.anchorRounds()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(node.commits).allSatisfy(s -> assertThat(s.certificates()).hasSize(1));
    }
}
