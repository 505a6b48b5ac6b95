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
 */
public record ValidatorConfig(long roundTimeoutMs, long resendIntervalMs, int maxBatchesPerHeader,
                              int maxPendingHeaders, int maxCertificatesPerResponse, long syncRetentionRounds) {
    public ValidatorConfig {
        if (roundTimeoutMs <= 0 || resendIntervalMs <= 0) throw new IllegalArgumentException("timeouts must be positive");
        if (maxBatchesPerHeader < 1 || maxPendingHeaders < 1 || maxCertificatesPerResponse < 1) {
            throw new IllegalArgumentException("bounds must be at least 1");
        }
        if (syncRetentionRounds < 1) throw new IllegalArgumentException("syncRetentionRounds must be at least 1");
    }

    /** With the default sync retention of {@value #DEFAULT_SYNC_RETENTION_ROUNDS} rounds. */
    public ValidatorConfig(long roundTimeoutMs, long resendIntervalMs, int maxBatchesPerHeader, int maxPendingHeaders,
                           int maxCertificatesPerResponse) {
        this(roundTimeoutMs, resendIntervalMs, maxBatchesPerHeader, maxPendingHeaders, maxCertificatesPerResponse,
                DEFAULT_SYNC_RETENTION_ROUNDS);
    }

    public static final long DEFAULT_SYNC_RETENTION_ROUNDS = 1_000;

    public static ValidatorConfig defaults() {
        return new ValidatorConfig(1_000, 500, 100, 1_000, 256);
    }
}
