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
 * @param maxUnreferencedBytesPerPeer bytes of pushed batches one author may have stored here before a
 *                              certificate names them; beyond it its pushes are refused ({@link PushQuota})
 * @param unreferencedTtl       after this long an unreferenced pushed batch no longer counts
 */
public record SyncSettings(int maxRoundsPerResponse, int maxBatchesPerResponse, long catchUpLagRounds,
                           Duration requestTimeout, int maxWantedBatches, int maxAttempts,
                           long maxUnreferencedBytesPerPeer, Duration unreferencedTtl) {
    public SyncSettings {
        if (maxRoundsPerResponse < 1 || maxBatchesPerResponse < 1 || catchUpLagRounds < 1 || maxWantedBatches < 1
                || maxAttempts < 1 || maxUnreferencedBytesPerPeer < 1) {
            throw new IllegalArgumentException("sync bounds must be at least 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) throw new IllegalArgumentException("request timeout must be positive");
        if (unreferencedTtl.toMillis() < 1) throw new IllegalArgumentException("unreferenced TTL must be positive");
    }

    /** Batches waited for at once: far above a healthy backlog, small enough to bound memory. */
    public static final int MAX_WANTED_BATCHES = 100_000;

    /**
     * How long an uncertified pushed batch counts against its author: an honest author's batches are
     * certified within a few rounds, or proposed again after an abandoned header.
     */
    public static final Duration UNREFERENCED_TTL = Duration.ofMinutes(5);

    /**
     * The configurable bounds, plus those derived from the committee: each peer may be asked for a
     * missing batch up to three times before the wait fails.
     */
    public static SyncSettings of(int maxRoundsPerResponse, int maxBatchesPerResponse, long catchUpLagRounds,
                                  Duration requestTimeout, long maxUnreferencedBytesPerPeer, int committeeSize) {
        return new SyncSettings(maxRoundsPerResponse, maxBatchesPerResponse, catchUpLagRounds, requestTimeout,
                MAX_WANTED_BATCHES, Math.max(3, 3 * (committeeSize - 1)), maxUnreferencedBytesPerPeer, UNREFERENCED_TTL);
    }

    /** The {@code sequencer.sync.*} defaults for a committee of four. */
    public static SyncSettings defaults() {
        return of(20, 64, 10, Duration.ofSeconds(2), 256L << 20, 4);
    }
}
