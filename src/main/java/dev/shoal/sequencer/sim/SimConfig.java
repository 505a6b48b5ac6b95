package dev.shoal.sequencer.sim;

/**
 * One simulated run: committee size, faults and the network model. All times are simulated
 * milliseconds.
 *
 * @param seed             seeds every random choice of the run (keys, delays, drops, faults)
 * @param validators       committee size n (equal stakes)
 * @param byzantine        Byzantine validators (at most f = (n-1)/3)
 * @param crashes          crash-and-restart events of honest validators, all before stabilisation
 * @param rounds           the target: every honest node must commit an anchor of at least this round
 * @param minDelayMs       smallest one-way delay
 * @param maxDelayMs       largest one-way delay before stabilisation
 * @param stableMaxDelayMs largest one-way delay after stabilisation (GST)
 * @param dropPercent      chance that a transmission is lost before GST; the link retransmits it
 * @param retransmitMs     link retransmission timeout
 * @param maxGstMs         GST is drawn uniformly from [500, 500 + maxGstMs); crashes happen before it
 * @param maxDowntimeMs    a crashed validator restarts after [100, 100 + maxDowntimeMs) ms
 */
public record SimConfig(long seed, int validators, int byzantine, int crashes, int rounds,
                        long minDelayMs, long maxDelayMs, long stableMaxDelayMs, int dropPercent, long retransmitMs,
                        int maxGstMs, int maxDowntimeMs) {
    public SimConfig {
        if (validators < 1) throw new IllegalArgumentException("--validators must be at least 1");
        if (byzantine < 0 || byzantine > (validators - 1) / 3) {
            throw new IllegalArgumentException("--byzantine must be between 0 and f = (n-1)/3 = " + (validators - 1) / 3
                    + " for n = " + validators + ", got " + byzantine);
        }
        if (crashes < 0) throw new IllegalArgumentException("--crashes must be non-negative");
        if (crashes > 0 && byzantine == validators) throw new IllegalArgumentException("no honest validator to crash");
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1");
        if (minDelayMs < 0 || maxDelayMs < minDelayMs || stableMaxDelayMs < minDelayMs) {
            throw new IllegalArgumentException("delays must satisfy 0 <= min <= max");
        }
        if (dropPercent < 0 || dropPercent > 90) throw new IllegalArgumentException("drop percent must be in 0..90");
        if (maxGstMs < 1 || maxDowntimeMs < 1) throw new IllegalArgumentException("--max-gst and --max-downtime must be positive");
    }

    /** The default network model with the given run shape. */
    public static SimConfig of(long seed, int validators, int byzantine, int crashes, int rounds) {
        return new SimConfig(seed, validators, byzantine, crashes, rounds, 1, 120, 30, 10, 150, 2_500, 1_500);
    }

    /** The same run with another GST range and crash downtime. */
    public SimConfig withTiming(int gstMs, int downtimeMs) {
        return new SimConfig(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs,
                dropPercent, retransmitMs, gstMs, downtimeMs);
    }
}
