package dev.shoal.sequencer.storage.pipeline;

import java.time.Duration;

/**
 * Knobs of the group-commit pipeline.
 *
 * @param maxGroupRecords flush as soon as this many records are waiting
 * @param flushInterval   flush at the latest this long after the first waiting record
 * @param capacity        most records that may wait; beyond it submit fails fast (backpressure)
 * @param minBackoff      first retry delay after a failed write
 * @param maxBackoff      retry delay cap (delays double up to it)
 */
public record PipelineSettings(int maxGroupRecords, Duration flushInterval, int capacity, Duration minBackoff,
                               Duration maxBackoff) {
    public static final PipelineSettings DEFAULT = new PipelineSettings(2_000, Duration.ofMillis(2), 100_000,
            Duration.ofMillis(50), Duration.ofSeconds(5));

    public PipelineSettings {
        if (maxGroupRecords < 1) throw new IllegalArgumentException("max group size must be at least 1");
        if (capacity < maxGroupRecords) throw new IllegalArgumentException("capacity must be at least the max group size");
        if (flushInterval.isNegative() || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("intervals must be non-negative and max backoff >= min backoff");
        }
    }
}
