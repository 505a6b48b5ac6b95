package dev.shoal.sequencer.core.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.dag.RandomDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The same certificates delivered in any order give byte-identical commit sequences, and a node
 * restored from its state and DAG window behaves exactly like one that never stopped. Every
 * assertion names the seed; rerun one case with {@code @Property(seed = ...)} or by calling the
 * check with that seed.
 */
class DeliveryOrderPropertyTest {

    @Property(tries = 200)
    void anyDeliveryOrderGivesTheSameCommits(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n,
                                             @ForAll @IntRange(min = 1, max = 4) int period) {
        checkDeliveryOrders(seed, n, period, 8);
    }

    @Property(tries = 60)
    void deliveryOrderIndependenceWithShallowGc(@ForAll long seed, @ForAll @IntRange(min = 4, max = 7) int n) {
        checkDeliveryOrders(seed, n, 2, 3);
    }

    @Property(tries = 100)
    void restoreFromStateBehavesLikeAnUninterruptedNode(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
                                                        @ForAll @IntRange(min = 1, max = 3) int period) {
        Committee committee = DagBuilder.committee(n);
        ConsensusConfig config = ConsensusConfig.DEFAULT.withGcDepth(4).withReputationUpdatePeriod(period);
        List<Certificate> dag = generate(committee, config, 40, seed);
        List<Certificate> order = RandomDag.causalShuffle(dag, seed ^ 0x5DEECE66DL);
        int cut = (int) Long.remainderUnsigned(seed * 31 + 7, order.size() + 1);
        String context = "seed " + seed + " n " + n + " period " + period + " cut " + cut;

        Node straight = new Node(committee, config);
        straight.deliverAll(order);

        Node first = new Node(committee, config);
        first.deliverAll(order.subList(0, cut));
        Node restored = first.restoredCopy();
        restored.deliverAll(order.subList(cut, order.size()));

        assertThat(restored.commits).as(context).isEqualTo(straight.commits);
        assertThat(restored.commitBytes()).as(context).isEqualTo(straight.commitBytes());
        assertThat(restored.consensus.state().toBytes()).as(context).isEqualTo(straight.consensus.state().toBytes());
    }

    /** Random DAG with weak anchors aimed at the leaders of the initial schedule. */
    static List<Certificate> generate(Committee committee, ConsensusConfig config, long rounds, long seed) {
        LeaderSchedule initial = new LeaderSchedule(committee, ReputationState.initial(committee.size(), config));
        return RandomDag.generate(committee, rounds, 0.85, 0.2, 0.5, initial::leader, seed);
    }

    static void checkDeliveryOrders(long seed, int n, int period, long gcDepth) {
        Committee committee = DagBuilder.committee(n);
        ConsensusConfig config = ConsensusConfig.DEFAULT.withGcDepth(gcDepth).withReputationUpdatePeriod(period);
        List<Certificate> dag = generate(committee, config, 30, seed);
        String context = "seed " + seed + " n " + n + " period " + period + " gcDepth " + gcDepth;

        Node reference = new Node(committee, config);
        reference.deliverAll(dag);
        Prefix.check(committee, config, reference.commits, context);
        assertThat(reference.commits).as(context + ": a 30-round DAG commits something").isNotEmpty();

        for (int k = 0; k < 4; k++) {
            long orderSeed = seed * 1_000_003L + k;
            List<Certificate> order = k == 3 ? RandomDag.shuffle(dag, orderSeed) : RandomDag.causalShuffle(dag, orderSeed);
            Node other = new Node(committee, config);
            other.deliverAll(order);
            assertThat(other.dag.pendingCount()).as(context).isZero();
            assertThat(other.commitBytes()).as(context + " order " + k + " (" + (k == 3 ? "any" : "causal") + ")")
                    .isEqualTo(reference.commitBytes());
        }
    }
}
