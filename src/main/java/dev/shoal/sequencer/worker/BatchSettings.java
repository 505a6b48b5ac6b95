package dev.shoal.sequencer.worker;

import java.time.Duration;

/**
 * How the worker packs transactions.
 *
 * @param maxTransactions        seal a batch at this many transactions
 * @param maxBytes               seal a batch at this many payload bytes
 * @param maxDelay               seal a non-empty batch at the latest this long after its first transaction
 * @param maxPendingTransactions transactions accepted but not yet durable; beyond it submissions are refused
 * @param dedupWindow            how many recent transaction digests are remembered to drop resubmissions
 */
public record BatchSettings(int maxTransactions, long maxBytes, Duration maxDelay, int maxPendingTransactions,
                            int dedupWindow) {
    public static final BatchSettings DEFAULT = new BatchSettings(1_000, 512 * 1024, Duration.ofMillis(20), 200_000, 1_000_000);

    public BatchSettings {
        if (maxTransactions < 1 || maxBytes < 1 || maxPendingTransactions < 1 || dedupWindow < 0) {
            throw new IllegalArgumentException("batch settings must be positive");
        }
    }
}
