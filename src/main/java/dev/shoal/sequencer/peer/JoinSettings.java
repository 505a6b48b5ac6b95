package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import java.time.Duration;

/**
 * How a validator with an empty database joins ({@code sequencer.sync.join-from-checkpoint},
 * {@code sequencer.sync.join-timeout}) and what it needs to open and vouch for checkpoints.
 *
 * @param policy             when to join from a peer's checkpoint instead of syncing from genesis
 * @param timeout            how long to wait for peers' offers, and for vouches for one offer
 * @param consensus          the committee's consensus parameters (GC depth, reputation period)
 * @param maxCheckpointBytes largest decompressed checkpoint body accepted
 * @param transactionWindow  transactions in the exactly-once window (the committee's value), which a
 *                           joiner copies from a peer and every peer vouches for
 */
public record JoinSettings(JoinPolicy policy, Duration timeout, ConsensusConfig consensus, long maxCheckpointBytes,
                           int transactionWindow) {
    public JoinSettings {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("join timeout must be positive");
    }
}
