package dev.shoal.sequencer.core.consensus;

/**
 * Knobs of the ordering layer. Every honest validator of a committee must use the same values:
 * they decide the leader schedule and the linearisation.
 *
 * @param gcDepth                rounds kept below the last committed anchor round; older certificates
 *                               are neither linearised nor kept in the DAG (must equal the Dag's gcDepth)
 * @param reputationUpdatePeriod number of commits per reputation window: the leader weights are
 *                               recomputed from the scores of the last window every this many commits
 * @param activeWeight           reputation factor of a validator that voted for at least half of the
 *                               window's committed anchors and whose anchor slot was never skipped
 * @param inactiveWeight         factor of a validator that voted less often
 * @param failedWeight           factor of a validator whose anchor slot was skipped in the window (>= 1,
 *                               so nobody is excluded forever)
 */
public record ConsensusConfig(long gcDepth, int reputationUpdatePeriod, long activeWeight, long inactiveWeight,
                              long failedWeight) {
    public static final long DEFAULT_GC_DEPTH = 50;
    public static final int DEFAULT_REPUTATION_UPDATE_PERIOD = 10;

    /** gcDepth 50, window of 10 commits, factors 100 / 10 / 1. */
    public static final ConsensusConfig DEFAULT = new ConsensusConfig(DEFAULT_GC_DEPTH,
            DEFAULT_REPUTATION_UPDATE_PERIOD, 100, 10, 1);

    public ConsensusConfig {
        if (gcDepth < 2 || gcDepth > 1_000_000) {
            throw new IllegalArgumentException("gcDepth must be between 2 and 1,000,000, got " + gcDepth);
        }
        if (reputationUpdatePeriod < 1) throw new IllegalArgumentException("reputationUpdatePeriod must be >= 1");
        if (failedWeight < 1 || inactiveWeight < failedWeight || activeWeight < inactiveWeight) {
            throw new IllegalArgumentException("reputation factors must satisfy 1 <= failed <= inactive <= active");
        }
        if (activeWeight > 1_000_000) throw new IllegalArgumentException("activeWeight above 1,000,000");
    }

    public static ConsensusConfig defaults() {
        return DEFAULT;
    }

    public ConsensusConfig withGcDepth(long depth) {
        return new ConsensusConfig(depth, reputationUpdatePeriod, activeWeight, inactiveWeight, failedWeight);
    }

    public ConsensusConfig withReputationUpdatePeriod(int period) {
        return new ConsensusConfig(gcDepth, period, activeWeight, inactiveWeight, failedWeight);
    }
}
