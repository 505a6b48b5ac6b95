package dev.shoal.sequencer.driver;

import java.time.Duration;

/**
 * @param tickInterval  how often the loop feeds the clock to the core (header timestamps)
 * @param inboxCapacity events that may wait for the loop; beyond it offers are refused
 * @param fullRetry     pause before re-offering a group to a full persistence pipeline
 */
public record DriverSettings(Duration tickInterval, int inboxCapacity, Duration fullRetry) {
    public static final DriverSettings DEFAULT = new DriverSettings(Duration.ofMillis(50), 100_000, Duration.ofMillis(2));
}
