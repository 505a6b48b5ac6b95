package dev.shoal.sequencer.core.consensus;

import static dev.shoal.sequencer.core.dag.DagBuilder.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.consensus.DagWindow.AnchorSlot;
import dev.shoal.sequencer.core.consensus.DagWindow.Entry;
import dev.shoal.sequencer.core.consensus.DagWindow.SlotStatus;
import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.types.Committee;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The explorer's picture of the DAG, on the hand-built DAGs of the commit-rule tests. */
class DagWindowTest {
    private static final ConsensusConfig FIXED = ConsensusConfig.DEFAULT.withReputationUpdatePeriod(1_000_000);

    private final Committee committee = DagBuilder.committee(4);
    private final LeaderSchedule schedule = new LeaderSchedule(committee, ReputationState.initial(4, FIXED));

    /** A node fed every certificate of {@code b}, as the validator feeds them. */
    private Node delivered(DagBuilder b) {
        Node node = new Node(committee, FIXED);
        node.deliverAll(b.certificates());
        return node;
    }

    private static AnchorSlot slot(DagWindow w, long round) {
        return w.anchors().stream().filter(s -> s.round() == round).findFirst().orElseThrow(() -> new AssertionError("no slot at round " + round));
    }

    @Test
    void aFullyConnectedDagShowsTheLastRoundsWithEveryAnchorCommittedDirectlyAndTheNextPending() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 10);
        Node node = delivered(b);

        DagWindow w = DagWindow.capture(node.dag, node.consensus, 4);
        assertThat(w.fromRound()).isEqualTo(7);
        assertThat(w.toRound()).isEqualTo(10);
        assertThat(w.certificates()).hasSize(16);
        assertThat(w.certificates()).extracting(e -> e.certificate().round()).isSorted();
        assertThat(w.certificates()).allSatisfy(e -> assertThat(e.parentAuthors()).containsExactly(0, 1, 2, 3));
        // Anchors 7, 8, 9 are committed with the support of all four next-round certificates; 10 waits.
        for (long r = 7; r <= 9; r++) {
            AnchorSlot s = slot(w, r);
            assertThat(s.status()).isEqualTo(SlotStatus.COMMITTED);
            assertThat(s.leader()).isEqualTo(schedule.leader(r));
            assertThat(s.support()).isEqualTo(4);
            assertThat(s.direct()).isTrue();
        }
        AnchorSlot pending = slot(w, 10);
        assertThat(pending.status()).isEqualTo(SlotStatus.PENDING);
        assertThat(pending.leader()).isEqualTo(schedule.leader(10));
        assertThat(pending.support()).isZero();
        assertThat(w.anchors()).extracting(AnchorSlot::round).containsExactly(7L, 8L, 9L, 10L);
        // The last commit (anchor 9) ordered everything of round 8 and below, and the anchor itself.
        for (Entry e : w.certificates()) {
            long r = e.certificate().round();
            boolean anchor9 = r == 9 && e.certificate().author() == schedule.leader(9);
            assertThat(e.settled()).as(e.certificate().toString()).isEqualTo(r <= 8 || anchor9);
        }
        assertThat(w.lastCommitIndex()).isEqualTo(9);
        assertThat(w.reputation()).hasSize(4).allSatisfy(s -> assertThat(s.weight()).isEqualTo(schedule.weight(s.validator())));
    }

    @Test
    void anAnchorOrderedThroughALaterOneIsIndirect() {
        DagBuilder b = AnchorScenarios.indirectFirstAnchor(committee, schedule);
        Node node = delivered(b);
        assertThat(node.anchorRounds()).containsExactly(1L, 2L, 3L);

        DagWindow w = DagWindow.capture(node.dag, node.consensus, 10);
        AnchorSlot first = slot(w, 1);
        assertThat(first.status()).isEqualTo(SlotStatus.COMMITTED);
        assertThat(first.support()).isEqualTo(1);
        assertThat(first.direct()).isFalse();
        assertThat(slot(w, 2).direct()).isTrue();
        assertThat(slot(w, 3).direct()).isTrue();
        assertThat(slot(w, 4).status()).isEqualTo(SlotStatus.PENDING);
    }

    @Test
    void anAnchorPassedOverIsASkippedSlotAndItsCertificateIsSettledThoughNeverOrdered() {
        String a1 = name(schedule.leader(1), 1);
        DagBuilder b = AnchorScenarios.skippedFirstAnchor(committee, schedule);
        Node node = delivered(b);
        assertThat(node.commits.get(0).anchorRound()).isEqualTo(3);

        DagWindow w = DagWindow.capture(node.dag, node.consensus, 10);
        AnchorSlot skipped = slot(w, 1);
        assertThat(skipped.status()).isEqualTo(SlotStatus.SKIPPED);
        assertThat(skipped.leader()).isEqualTo(-1);
        assertThat(slot(w, 3).status()).isEqualTo(SlotStatus.COMMITTED);
        Entry passedOver = w.certificates().stream().filter(e -> e.certificate().equals(b.get(a1))).findFirst().orElseThrow();
        assertThat(passedOver.settled()).isTrue();
        assertThat(node.commits.stream().flatMap(c -> c.certificates().stream())).doesNotContain(b.get(a1));
    }

    @Test
    void aWindowShorterThanTheDagStartsAtTheGarbageCollectionRoundAtTheEarliest() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 3);
        Node node = delivered(b);
        DagWindow w = DagWindow.capture(node.dag, node.consensus, 100);
        assertThat(w.fromRound()).isEqualTo(node.dag.gcRound());
        assertThat(w.toRound()).isEqualTo(3);
        List<Long> rounds = w.certificates().stream().map(e -> e.certificate().round()).distinct().toList();
        assertThat(rounds).first().isEqualTo(node.dag.gcRound());
        assertThatThrownBy(() -> DagWindow.capture(node.dag, node.consensus, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
