package dev.shoal.sequencer.core.validator;

/**
 * Ask the driver to deliver {@code TimerFired(kind, round)} after {@code delayMs} milliseconds
 * of its clock.
 */
public record TimerRequest(TimerKind kind, long round, long delayMs) {
    public TimerRequest {
        if (delayMs < 0) throw new IllegalArgumentException("timer delay must be non-negative");
    }
}
