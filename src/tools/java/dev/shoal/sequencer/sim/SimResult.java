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
 */
public record SimResult(long seed, List<String> violations, String trace, long commits, long simTimeMs) {
    public SimResult {
        violations = List.copyOf(violations);
    }

    public boolean ok() {
        return violations.isEmpty();
    }
}
