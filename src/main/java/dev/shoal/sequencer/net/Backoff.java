package dev.shoal.sequencer.net;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential reconnection delay with jitter, so a restarted committee does not reconnect in lockstep. */
final class Backoff {
    private Backoff() {}

    /**
     * {@code min * 2^failures}, capped at {@code max}, plus up to a quarter of it as random jitter,
     * the sum capped at {@code max} again.
     */
    static long delayMillis(Duration min, Duration max, int failures, RandomGenerator random) {
        long minMs = Math.max(1, min.toMillis());
        long maxMs = Math.max(minMs, max.toMillis());
        long base = failures >= 62 ? maxMs : Math.min(maxMs, minMs << Math.min(failures, 30));
        long jitter = base / 4 > 0 ? random.nextLong(base / 4 + 1) : 0;
        return Math.min(maxMs, base + jitter);
    }
}
