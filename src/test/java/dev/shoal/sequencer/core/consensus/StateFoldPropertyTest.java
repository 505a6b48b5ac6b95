package dev.shoal.sequencer.core.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.dag.RandomDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ConsensusState#afterCommit} folds what the commit log stores of each commit into the state:
 * from any state the consensus had, folding the commits that followed gives byte for byte the state
 * the consensus reached (this is what lets peers vouch for a checkpoint's state from their commit
 * logs). Every assertion names the seed.
 */
class StateFoldPropertyTest {

    @Property(tries = 150)
    void foldingTheCommitLogReproducesTheConsensusState(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
                                                        @ForAll @IntRange(min = 1, max = 3) int period,
                                                        @ForAll @IntRange(min = 2, max = 8) int gcDepth) {
        Committee committee = DagBuilder.committee(n);
        ConsensusConfig config = ConsensusConfig.DEFAULT.withGcDepth(gcDepth).withReputationUpdatePeriod(period);
        List<Certificate> dag = DeliveryOrderPropertyTest.generate(committee, config, 40, seed);
        String context = "seed " + seed + " n " + n + " period " + period + " gcDepth " + gcDepth;

        Node node = new Node(committee, config);
        List<ConsensusState> states = new ArrayList<>();
        states.add(node.consensus.state());
        for (Certificate c : RandomDag.causalShuffle(dag, seed ^ 0x9E3779B97F4A7C15L)) {
            if (!node.deliver(c).isEmpty()) states.add(node.consensus.state());
        }
        long[] rounds = new long[n];
        // From each observed state, fold every later commit and compare at each later observation.
        for (ConsensusState from : states) {
            ConsensusState folded = from;
            java.util.Arrays.fill(rounds, 0);
            for (int i = 0; i < from.lastCommittedRounds().size(); i++) rounds[i] = from.lastCommittedRounds().get(i);
            for (CommittedSubDag s : node.commits) {
                if (s.index() <= from.lastCommitIndex()) continue;
                for (Certificate c : s.certificates()) rounds[c.author()] = Math.max(rounds[c.author()], c.round());
                folded = folded.afterCommit(s.index(), s.anchorRound(), s.anchor().author(),
                        java.util.Arrays.stream(rounds).boxed().toList(), s.anchorVoters(), s.skippedAnchors(), s.batches(), config);
                for (ConsensusState observed : states) {
                    if (observed.lastCommitIndex() == s.index()) {
                        assertThat(folded.toBytes()).as(context + ": fold from commit " + from.lastCommitIndex()
                                + " to " + s.index()).isEqualTo(observed.toBytes());
                        assertThat(folded.digest()).as(context).isEqualTo(observed.digest());
                    }
                }
            }
        }
    }

    @Example
    void aCommitMustFollowTheLastOne() {
        ConsensusConfig config = ConsensusConfig.DEFAULT;
        ConsensusState s = ConsensusState.initial(4, config);
        assertThatThrownBy(() -> s.afterCommit(2, 1, 0, List.of(1L, 0L, 0L, 0L), List.of(), List.of(), List.of(), config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not follow");
        ConsensusState one = s.afterCommit(1, 3, 0, List.of(3L, 0L, 0L, 0L), List.of(), List.of(), List.of(), config);
        assertThatThrownBy(() -> one.afterCommit(2, 3, 1, List.of(3L, 3L, 0L, 0L), List.of(), List.of(), List.of(), config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not above");
        assertThat(one.digest()).isNotEqualTo(s.digest());
    }
}
