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
 * @param batchWindow            how many of the last committed batch digests the output remembers: a
 *                               certificate's batch already among them is skipped, not output again
 *                               (exactly-once output, whoever listed the batch a second time)
 */
public record ConsensusConfig(long gcDepth, int reputationUpdatePeriod, long activeWeight, long inactiveWeight,
                              long failedWeight, int batchWindow) {
    public static final long DEFAULT_GC_DEPTH = 50;
    public static final int DEFAULT_REPUTATION_UPDATE_PERIOD = 10;
    public static final int DEFAULT_BATCH_WINDOW = 100_000;

    /** gcDepth 50, window of 10 commits, factors 100 / 10 / 1, the last 100,000 committed batches remembered. */
    public static final ConsensusConfig DEFAULT = new ConsensusConfig(DEFAULT_GC_DEPTH,
            DEFAULT_REPUTATION_UPDATE_PERIOD, 100, 10, 1, DEFAULT_BATCH_WINDOW);

    public ConsensusConfig {
        if (gcDepth < 2 || gcDepth > 1_000_000) {
            throw new IllegalArgumentException("gcDepth must be between 2 and 1,000,000, got " + gcDepth);
        }
        if (reputationUpdatePeriod < 1) throw new IllegalArgumentException("reputationUpdatePeriod must be >= 1");
        if (failedWeight < 1 || inactiveWeight < failedWeight || activeWeight < inactiveWeight) {
            throw new IllegalArgumentException("reputation factors must satisfy 1 <= failed <= inactive <= active");
        }
        if (activeWeight > 1_000_000) throw new IllegalArgumentException("activeWeight above 1,000,000");
        if (batchWindow < 1 || batchWindow > 10_000_000) {
            throw new IllegalArgumentException("batchWindow must be between 1 and 10,000,000, got " + batchWindow);
        }
    }

    public static ConsensusConfig defaults() {
        return DEFAULT;
    }

    public ConsensusConfig withGcDepth(long depth) {
        return new ConsensusConfig(depth, reputationUpdatePeriod, activeWeight, inactiveWeight, failedWeight, batchWindow);
    }

    public ConsensusConfig withReputationUpdatePeriod(int period) {
        return new ConsensusConfig(gcDepth, period, activeWeight, inactiveWeight, failedWeight, batchWindow);
    }

    public ConsensusConfig withBatchWindow(int window) {
        return new ConsensusConfig(gcDepth, reputationUpdatePeriod, activeWeight, inactiveWeight, failedWeight, window);
    }
}
