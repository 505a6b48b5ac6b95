package dev.shoal.sequencer.core.validator;

/**
 * Tuning of one validator state machine.
 *
 * @param roundTimeoutMs       how long to wait for a round's leader certificate before advancing without it
 * @param resendIntervalMs     period of re-sending our pending header and latest certificate
 * @param maxBatchesPerHeader  at most this many batch digests in one header (ours and accepted ones)
 * @param maxPendingHeaders    headers held while their parents are fetched
 * @param maxCertificatesPerResponse at most this many certificates sent for one request
 * @param syncRetentionRounds  certificates are kept this many rounds below our highest DAG round to
 *                             answer peers that fell behind, also after they left the DAG by
 *                             garbage collection (a restarted peer may lag by more than gcDepth)
 * @param minHeaderIntervalMs  least time between two of our headers unless a full header of batches waits;
 *                             0 proposes as soon as the round allows (the simulator). A real node needs
 *                             it: a committee of one would otherwise spin through empty rounds.
 * @param idleHeaderIntervalMs least time between two of our headers while there is no work to order and
 *                             the DAG is not ahead of us (Narwhal's max header delay); 0 paces nothing
 *                             beyond minHeaderIntervalMs (tests, the simulator). Otherwise at least
 *                             minHeaderIntervalMs. A real node needs it: empty rounds fill its database.
 */
public record ValidatorConfig(long roundTimeoutMs, long resendIntervalMs, int maxBatchesPerHeader,
                              int maxPendingHeaders, int maxCertificatesPerResponse, long syncRetentionRounds,
                              long minHeaderIntervalMs, long idleHeaderIntervalMs) {
    public static final long DEFAULT_SYNC_RETENTION_ROUNDS = 1_000;

    public ValidatorConfig {
        if (roundTimeoutMs <= 0 || resendIntervalMs <= 0) throw new IllegalArgumentException("timeouts must be positive");
        if (minHeaderIntervalMs < 0) throw new IllegalArgumentException("min header interval must be non-negative");
        if (idleHeaderIntervalMs != 0 && idleHeaderIntervalMs < minHeaderIntervalMs) {
            throw new IllegalArgumentException("idle header interval " + idleHeaderIntervalMs
                    + " ms must be at least the min header interval " + minHeaderIntervalMs + " ms");
        }
        if (maxBatchesPerHeader < 1 || maxPendingHeaders < 1 || maxCertificatesPerResponse < 1) {
            throw new IllegalArgumentException("bounds must be at least 1");
        }
        if (syncRetentionRounds < 1) throw new IllegalArgumentException("syncRetentionRounds must be at least 1");
    }

    /** With the default sync retention, a header interval and no idle pacing (tools that set the round rate). */
    public ValidatorConfig(long roundTimeoutMs, long resendIntervalMs, int maxBatchesPerHeader, int maxPendingHeaders,
                           int maxCertificatesPerResponse, long minHeaderIntervalMs) {
        this(roundTimeoutMs, resendIntervalMs, maxBatchesPerHeader, maxPendingHeaders, maxCertificatesPerResponse,
                DEFAULT_SYNC_RETENTION_ROUNDS, minHeaderIntervalMs, 0);
    }

    /** With the default sync retention of {@value #DEFAULT_SYNC_RETENTION_ROUNDS} rounds and no header pacing. */
    public ValidatorConfig(long roundTimeoutMs, long resendIntervalMs, int maxBatchesPerHeader, int maxPendingHeaders,
                           int maxCertificatesPerResponse) {
        this(roundTimeoutMs, resendIntervalMs, maxBatchesPerHeader, maxPendingHeaders, maxCertificatesPerResponse,
                DEFAULT_SYNC_RETENTION_ROUNDS, 0, 0);
    }

    /** The same settings with another idle header interval. */
    public ValidatorConfig withIdleHeaderInterval(long ms) {
        return new ValidatorConfig(roundTimeoutMs, resendIntervalMs, maxBatchesPerHeader, maxPendingHeaders,
                maxCertificatesPerResponse, syncRetentionRounds, minHeaderIntervalMs, ms);
    }

    public static ValidatorConfig defaults() {
        return new ValidatorConfig(1_000, 500, 100, 1_000, 256);
    }
}
