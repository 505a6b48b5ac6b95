package dev.shoal.sequencer.core.consensus;

import static dev.shoal.sequencer.core.dag.DagBuilder.letter;
import static dev.shoal.sequencer.core.dag.DagBuilder.name;

import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.types.Committee;

/** Hand-built DAGs of four validators around the round-1 anchor, shared by the commit-rule tests. */
final class AnchorScenarios {
    private AnchorScenarios() {}

    /** Round 1 full; in round 2 only the validator after the round-1 leader links to the round-1 anchor. */
    static DagBuilder weaklySupportedFirstAnchor(Committee committee, LeaderSchedule schedule) {
        String a1 = name(schedule.leader(1), 1);
        String supporter = letter((schedule.leader(1) + 1) % 4);
        DagBuilder b = new DagBuilder(committee).round(1, "*");
        for (int a = 0; a < 4; a++) b.add(2, a, letter(a).equals(supporter) ? "*" : "[-" + a1 + "]");
        return b;
    }

    /** The above, and full rounds 3 and 4: round 3's anchor reaches round 1's through the supporter (indirect commit). */
    static DagBuilder indirectFirstAnchor(Committee committee, LeaderSchedule schedule) {
        return weaklySupportedFirstAnchor(committee, schedule).fullRounds(3, 4);
    }

    /** The above, but round 3's anchor avoids the only round-2 link to round 1's anchor, which is skipped. */
    static DagBuilder skippedFirstAnchor(Committee committee, LeaderSchedule schedule) {
        DagBuilder b = weaklySupportedFirstAnchor(committee, schedule);
        String supporter = letter((schedule.leader(1) + 1) % 4);
        int l3 = schedule.leader(3);
        for (int a = 0; a < 4; a++) b.add(3, a, a == l3 ? "[-" + supporter + "2]" : "*");
        return b.round(4, "*");
    }
}
