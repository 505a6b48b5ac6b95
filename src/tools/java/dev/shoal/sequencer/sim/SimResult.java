package dev.shoal.sequencer.sim;

import java.util.List;

/**
 * The outcome of one seed.
 *
 * @param seed       the seed
 * @param violations broken properties, each a one-line description (empty when the run is correct)
 * @param trace      a short summary of the run for a failing seed's report line
 * @param commits    commits of the honest node that committed least (for reporting)
 * @param simTimeMs  simulated time at the end of the run
 * @param latencies  for each batch submitted after stabilisation and committed: simulated ms from its
 *                   BatchReady to the first honest validator publishing it
 * @param afterIdleLatencies the same for the first batch of each validator in each busy phase that
 *                   followed an idle phase (empty without load phases)
 * @param anchors    committed anchors by author, in the longest honest commit log
 * @param skips      anchors passed over by leader, in the same log
 * @param proposalLatencies for each certificate proposed after stabilisation and committed: simulated
 *                   ms from its header's timestamp to the first honest validator publishing it
 * @param anchorLatencies the same for the committed anchors only
 */
public record SimResult(long seed, List<String> violations, String trace, long commits, long simTimeMs,
                        List<Long> latencies, List<Long> afterIdleLatencies, List<Long> anchors, List<Long> skips,
                        List<Long> proposalLatencies, List<Long> anchorLatencies) {
    public SimResult {
        violations = List.copyOf(violations);
        latencies = List.copyOf(latencies);
        afterIdleLatencies = List.copyOf(afterIdleLatencies);
        anchors = List.copyOf(anchors);
        skips = List.copyOf(skips);
        proposalLatencies = List.copyOf(proposalLatencies);
        anchorLatencies = List.copyOf(anchorLatencies);
    }

    public boolean ok() {
        return violations.isEmpty();
    }
}
