package dev.shoal.sequencer.bench.consensus;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.dag.InsertOutcome;
import dev.shoal.sequencer.core.dag.RandomDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.List;

/** Pre-generated certificate histories (unsigned: replay skips signatures) and the replay loop. */
final class History {
    final Committee committee;
    final Certificate[] certificates;

    private History(Committee committee, List<Certificate> certificates) {
        this.committee = committee;
        this.certificates = certificates.toArray(new Certificate[0]);
    }

    /**
     * n validators, every one present in every round, each linking to a random quorum-or-more of the
     * previous round (seeded, so every run replays the same history), in round order.
     */
    static History generate(int n, long rounds, long seed) {
        Committee committee = DagBuilder.committee(n);
        return new History(committee, RandomDag.generate(committee, rounds, 1.0, 0.0, seed));
    }

    /** Inserts every certificate into a fresh DAG, feeds the consensus, garbage-collects; returns the commit count. */
    long replay(ConsensusConfig config) {
        Dag dag = new Dag(committee, config.gcDepth());
        Consensus consensus = new Consensus(committee, dag, config);
        long commits = 0;
        long gcFor = 0;
        for (Certificate c : certificates) {
            InsertOutcome o = dag.insert(c);
            List<Certificate> entered = o.inserted();
            for (int i = 0; i < entered.size(); i++) {
                List<CommittedSubDag> out = consensus.process(entered.get(i));
                if (!out.isEmpty()) {
                    commits += out.size();
                    if (consensus.lastCommittedRound() != gcFor) {
                        gcFor = consensus.lastCommittedRound();
                        dag.gc(gcFor); // in-order replay: nothing is pending, so nothing is released
                    }
                }
            }
        }
        return commits;
    }
}
