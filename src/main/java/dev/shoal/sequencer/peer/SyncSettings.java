package dev.shoal.sequencer.peer;

import java.time.Duration;

/**
 * Tuning of what a validator fetches from its peers (the {@code sequencer.sync.*} keys).
 *
 * @param maxRoundsPerResponse  most rounds of certificates in one range response
 * @param maxBatchesPerResponse most batches asked for in, and sent in, one batch request/response
 * @param catchUpLagRounds      rounds behind the highest round seen from peers that start range sync
 * @param requestTimeout        wait for an answer before asking the next peer
 * @param maxWantedBatches      batches waited for at once; beyond it, new waits fail (the peer re-sends)
 * @param maxAttempts           peers asked for one batch before the wait fails
 */
public record SyncSettings(int maxRoundsPerResponse, int maxBatchesPerResponse, long catchUpLagRounds,
                           Duration requestTimeout, int maxWantedBatches, int maxAttempts) {
    public SyncSettings {
        if (maxRoundsPerResponse < 1 || maxBatchesPerResponse < 1 || catchUpLagRounds < 1 || maxWantedBatches < 1
                || maxAttempts < 1) {
            throw new IllegalArgumentException("sync bounds must be at least 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) throw new IllegalArgumentException("request timeout must be positive");
    }

    public static SyncSettings defaults() {
        return new SyncSettings(20, 64, 10, Duration.ofSeconds(2), 100_000, 12);
    }
}
