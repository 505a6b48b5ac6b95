package dev.shoal.sequencer.core.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks on a commit sequence that must hold whatever the DAG. */
final class Prefix {
    private Prefix() {}

    /**
     * Gap-free indexes from 1, no certificate twice, each anchor is the leader its round had under the
     * schedule derived from the commits before it, skipped anchors too (re-interpretation).
     */
    static void check(Committee committee, ConsensusConfig config, List<CommittedSubDag> commits, String context) {
        ReputationState rep = ReputationState.initial(committee.size(), config);
        Set<Certificate> seen = new HashSet<>();
        long previousAnchor = 0;
        for (int i = 0; i < commits.size(); i++) {
            CommittedSubDag s = commits.get(i);
            assertThat(s.index()).as("%s: index of commit %d", context, i).isEqualTo(i + 1);
            LeaderSchedule schedule = new LeaderSchedule(committee, rep);
            assertThat(s.anchor().author()).as("%s: leader of round %d (commit %d)", context, s.anchorRound(), s.index())
                    .isEqualTo(schedule.leader(s.anchorRound()));
            for (CommittedSubDag.SkippedAnchor k : s.skippedAnchors()) {
                assertThat(k.leader()).as("%s: skipped leader", context).isEqualTo(schedule.leader(k.round()));
                assertThat(k.round()).isGreaterThan(previousAnchor).isLessThan(s.anchorRound());
                assertThat((k.round() - previousAnchor - 1) % 2).isZero();
            }
            assertThat(s.anchorRound()).as("%s: anchors ascend", context).isGreaterThan(previousAnchor);
            assertThat((s.anchorRound() - previousAnchor - 1) % 2).as("%s: anchor is a candidate of its instance", context).isZero();
            for (Certificate c : s.certificates()) assertThat(seen.add(c)).as("%s: %s ordered twice", context, c).isTrue();
            previousAnchor = s.anchorRound();
            rep = rep.record(s, config);
        }
    }
}
